package io.holdfast.internal;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.Timer;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one pub/sub connection, multiplexed over every lock channel.
 *
 * <p>A channel is subscribed while at least one local waiter needs it: {@link #join} counts a
 * waiter in (subscribing on the first), {@link #leave} counts it out (unsubscribing after the
 * last, or, with a linger, once the channel has had no waiter for that long: a lock whose threads
 * take turns does not pay a SUBSCRIBE and a second attempt each time its last local waiter is
 * served). Both run inside {@link ConcurrentHashMap#compute}, as does the linger's end, so the
 * SUBSCRIBE/UNSUBSCRIBE commands of one channel are issued in the order of the count changes, and
 * one connection keeps that order on the wire.
 *
 * <p>Wake-ups: a message wakes local waiters as {@link WakeMessage} says. After a reconnect,
 * Lettuce subscribes again; messages published in between are gone, so every waiter of a channel
 * that is confirmed a second time retries at once.
 *
 * <p>Sharded (a Redis Cluster of Redis 7+, see {@link io.holdfast.spi.RedisGateway#shardedPubSub()}):
 * the same, with {@code SSUBSCRIBE}/{@code SUNSUBSCRIBE}, which Lettuce's cluster pub/sub
 * connection sends to the master of the channel's slot. When the slot leaves that node (a
 * migration: the server then ends the subscription itself; a failover: {@link ShardedChannels}
 * notices the new owner), {@link #resubscribe} subscribes again where the slot is now, and the
 * confirmation wakes the channel's waiters like a reconnect does.
 *
 * <p>Classic pub/sub on a Cluster (Redis before 7): a message published on any node reaches every
 * node over the cluster bus, so a subscription anywhere hears it; but the bus's node-to-node
 * connections do not disable Nagle's algorithm, and a wake-up that crossed it came up to 40 ms late
 * (contended turns took 4 times as long as on one node). {@link OwnerSubscriptions} subscribes each
 * channel on the master that owns its slot, where the scripts publish.
 */
public final class PubSubHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PubSubHub.class);

    /** How long a client keeps a lock's channel after its last local waiter left. */
    public static final long LINGER_MILLIS = 1_000;

    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final Timer timer;
    private final long lingerMillis;
    private final Subscriptions subscriptions;

    /**
     * Where the hub's subscribe and unsubscribe commands for a channel go: the hub's connection, or
     * (classic pub/sub on a Cluster, {@link OwnerSubscriptions}) the node that owns the channel's
     * slot. The hub calls both for one channel one at a time, in the order of its count changes.
     */
    interface Subscriptions {
        /** Subscribes {@code channel}; completes when the server confirmed it. */
        CompletableFuture<Void> subscribe(String channel);

        /** Ends the subscription of {@code channel} made by {@link #subscribe}; not awaited. */
        void unsubscribe(String channel);
    }

    /** One channel's local waiters and subscription. */
    private static final class Channel {
        final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
        int refs;
        /** Counts the times refs went to zero: a linger's end only unsubscribes if it is still its turn. */
        long idleTimes;
        volatile boolean confirmed;
        CompletableFuture<Void> subscribed;
        /** The waiter that looks at the lock on a timer for the queued ones (see {@link #enlist}); guarded by this. */
        Waiter poller;
        /** When a waiter of this channel last looked at the lock ({@link #looked}), {@link System#nanoTime}; 0: never. */
        volatile long lookedNanos;
    }

    /** Takes over {@code connection}; unsubscribes a channel as soon as its last waiter leaves. */
    public PubSubHub(StatefulRedisPubSubConnection<String, String> connection) {
        this(connection, null, 0);
    }

    /** Classic pub/sub; see {@link #PubSubHub(StatefulRedisPubSubConnection, Timer, long, boolean)}. */
    public PubSubHub(StatefulRedisPubSubConnection<String, String> connection, Timer timer, long lingerMillis) {
        this(connection, timer, lingerMillis, false);
    }

    /**
     * Takes over {@code connection} (opened by the client at connect, never on an I/O thread).
     *
     * @param lingerMillis how long a channel stays subscribed after its last waiter left, on
     *     {@code timer}; 0: not at all
     * @param sharded whether to subscribe with {@code SSUBSCRIBE} (the scripts publish with
     *     {@code SPUBLISH}) rather than {@code SUBSCRIBE}
     */
    public PubSubHub(StatefulRedisPubSubConnection<String, String> connection, Timer timer, long lingerMillis,
            boolean sharded) {
        this(connection, timer, lingerMillis, new OnTheConnection(connection, sharded));
    }

    /** As above, with the subscriptions sent where {@code subscriptions} says. */
    PubSubHub(StatefulRedisPubSubConnection<String, String> connection, Timer timer, long lingerMillis,
            Subscriptions subscriptions) {
        if (lingerMillis > 0 && timer == null) {
            throw new IllegalArgumentException("a linger needs a timer");
        }
        this.connection = connection;
        this.timer = timer;
        this.lingerMillis = lingerMillis;
        this.subscriptions = subscriptions;
        connection.addListener(new Listener());
    }

    /** Every subscription on the hub's one connection, sharded or classic. */
    private record OnTheConnection(StatefulRedisPubSubConnection<String, String> connection, boolean sharded)
            implements Subscriptions {
        @Override
        public CompletableFuture<Void> subscribe(String channel) {
            return (sharded ? connection.async().ssubscribe(channel) : connection.async().subscribe(channel))
                    .toCompletableFuture();
        }

        @Override
        public void unsubscribe(String channel) {
            if (sharded) {
                connection.async().sunsubscribe(channel);
            } else {
                connection.async().unsubscribe(channel);
            }
        }
    }

    /**
     * Counts {@code waiter} in on {@code channel}; the future completes once the server has
     * confirmed the subscription, so a release after that point reaches the waiter.
     */
    public CompletableFuture<Void> join(String channel, Waiter waiter) {
        StatefulRedisPubSubConnection<String, String> conn = connection;
        Channel c = channels.compute(channel, (name, existing) -> {
            Channel ch = existing == null ? new Channel() : existing;
            if (ch.subscribed == null || ch.subscribed.isCompletedExceptionally()) {
                ch.subscribed = subscribe(name);
            }
            ch.refs++;
            ch.waiters.add(waiter);
            return ch;
        });
        return c.subscribed;
    }

    /**
     * Counts {@code waiter} in on {@code channel} only if the server has already confirmed the
     * subscription (another local waiter holds it open): then no command is sent, and a release
     * published after this call reaches the waiter.
     *
     * @return how many other local waiters the channel has, or {@code -1} if the waiter was not
     *     counted in (no confirmed subscription)
     */
    public int joinIfSubscribed(String channel, Waiter waiter) {
        int[] others = {-1};
        channels.computeIfPresent(channel, (name, ch) -> {
            CompletableFuture<Void> sub = ch.subscribed;
            if (sub != null && sub.isDone() && !sub.isCompletedExceptionally()) {
                others[0] = ch.refs;
                ch.refs++;
                ch.waiters.add(waiter);
            }
            return ch;
        });
        return others[0];
    }

    /**
     * A waiter whose place the server keeps in the lock's queue is about to park: makes it the
     * channel's poller if the channel has none (or its poller is finished). The poller parks on its
     * timed delay, the channel's other queued waiters quietly (see {@link Waiter}); when the poller
     * leaves, the next queued waiter of the channel, in the order they joined, becomes the poller.
     * So this client looks at a lock whose lease may run out without a message once per timed
     * delay, not once per waiter.
     */
    public void enlist(String channel, Waiter waiter) {
        Channel c = channels.get(channel);
        boolean elected = true;
        if (c != null) {
            synchronized (c) {
                if (c.poller == null || c.poller.isDone()) {
                    c.poller = waiter;
                }
                elected = c.poller == waiter;
            }
        }
        if (elected) {
            waiter.poll();
        }
    }

    /**
     * A waiter of {@code channel}'s lock looked at the lock (an attempt found it busy): the
     * client's polling of the lock goes on ({@link #lookedWithin}).
     */
    public void looked(String channel) {
        Channel c = channels.get(channel);
        if (c != null) {
            c.lookedNanos = nonZero(System.nanoTime());
        }
    }

    /**
     * Whether a waiter of {@code channel}'s lock in this client looked at the lock in the last
     * {@code nanos} ns ({@link #looked}). Lock-free: a quiet waiter's backstop asks it on the timer
     * thread (see {@link Waiter}).
     */
    public boolean lookedWithin(String channel, long nanos) {
        Channel c = channels.get(channel);
        long at = c == null ? 0 : c.lookedNanos;
        return at != 0 && System.nanoTime() - at < nanos;
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    /** Counts {@code waiter} out; the last one out unsubscribes (at once, or after the linger). */
    public void leave(String channel, Waiter waiter) {
        Waiter[] next = {null};
        channels.computeIfPresent(channel, (name, ch) -> {
            if (!ch.waiters.remove(waiter)) {
                return ch;
            }
            synchronized (ch) {
                if (ch.poller == waiter) {
                    ch.poller = null;
                    for (Waiter w : ch.waiters) {
                        if (w.placement() != null && !w.isDone()) {
                            ch.poller = w;
                            next[0] = w;
                            break;
                        }
                    }
                }
            }
            if (--ch.refs > 0) {
                return ch;
            }
            if (lingerMillis > 0) {
                long idle = ++ch.idleTimes;
                timer.newTimeout(t -> endLinger(name, idle), lingerMillis, TimeUnit.MILLISECONDS);
                return ch;
            }
            unsubscribe(name);
            return null;
        });
        if (next[0] != null) {
            next[0].poll(waiter);
        }
    }

    private CompletableFuture<Void> subscribe(String channel) {
        return subscriptions.subscribe(channel);
    }

    private void unsubscribe(String channel) {
        subscriptions.unsubscribe(channel);
    }

    /**
     * Subscribes {@code channel} again if some waiter still needs it (or it lingers): after the
     * server ended the subscription, or the node it was made on no longer serves the channel's
     * slot. The confirmation wakes the channel's waiters (a release in between was not heard).
     */
    public void resubscribe(String channel) {
        channels.computeIfPresent(channel, (name, ch) -> {
            log.debug("subscribing to {} again (its slot moved or the server dropped it)", name);
            CompletableFuture<Void> again = subscribe(name);
            if (ch.subscribed == null || ch.subscribed.isCompletedExceptionally()) {
                ch.subscribed = again;
            }
            return ch;
        });
    }

    /** The channels subscribed now, or being subscribed (for following slot moves). */
    public java.util.Set<String> channels() {
        return java.util.Set.copyOf(channels.keySet());
    }

    /** The linger that began when the channel's count went to zero for the {@code idle}th time ends. */
    private void endLinger(String channel, long idle) {
        channels.computeIfPresent(channel, (name, ch) -> {
            if (ch.refs > 0 || ch.idleTimes != idle) {
                return ch; // a waiter came back meanwhile (and maybe left again: that linger decides)
            }
            unsubscribe(name);
            return null;
        });
    }

    /** Channels subscribed now: with local waiters, or lingering (for tests and metrics). */
    public int channelCount() {
        return channels.size();
    }

    /**
     * Acts on {@code message} as if it had come in on {@code channel}: for a script reply that
     * also published it, so local waiters need not wait for the pub/sub round trip. The message
     * still comes in later and is then ignored by whoever already took it.
     */
    void deliverLocally(String channel, String message) {
        dispatch(channel, message);
    }

    /** Wakes one local waiter of {@code channel}, as a {@link WakeMessage#ONE} message would. */
    public void wakeOne(String channel) {
        dispatch(channel, WakeMessage.ONE);
    }

    private void dispatch(String channel, String message) {
        Channel c = channels.get(channel);
        if (c == null) {
            return;
        }
        if (WakeMessage.ONE.equals(message)) {
            for (Waiter w : c.waiters) {
                if (w.wake()) {
                    return;
                }
            }
        } else if (message.startsWith(WakeMessage.HANDED_OVER_PREFIX)) {
            String[] parts = message.substring(WakeMessage.HANDED_OVER_PREFIX.length()).split("\\|", 3);
            long token;
            try {
                token = Long.parseLong(parts[0]);
            } catch (RuntimeException e) {
                log.warn("ignored a malformed hand-over message on {}: {}", channel, message);
                return;
            }
            if (parts.length < 3) {
                log.warn("ignored a malformed hand-over message on {}: {}", channel, message);
                return;
            }
            String holder = parts[2];
            for (Waiter w : c.waiters) {
                if (w.holderId().equals(holder)) {
                    w.handedOver(parts[1], token);
                }
            }
        } else if (message.startsWith(WakeMessage.HOLDER_PREFIX)) {
            String holder = message.substring(WakeMessage.HOLDER_PREFIX.length());
            for (Waiter w : c.waiters) {
                if (w.holderId().equals(holder)) {
                    w.wake();
                }
            }
        } else {
            c.waiters.forEach(Waiter::wake);
        }
    }

    private final class Listener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String channel, String message) {
            dispatch(channel, message);
        }

        @Override
        public void smessage(String channel, String message) {
            dispatch(channel, message);
        }

        @Override
        public void ssubscribed(String channel, long count) {
            subscribed(channel, count);
        }

        /**
         * The server ended a sharded subscription: ours (the channel is gone from the map, or came
         * back and is subscribed again), or its own when the channel's slot left the node (a
         * migration), then the channel is subscribed again where the slot is now.
         */
        @Override
        public void sunsubscribed(String channel, long count) {
            if (channels.containsKey(channel)) {
                resubscribe(channel);
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            Channel c = channels.get(channel);
            if (c == null) {
                return;
            }
            if (c.confirmed) {
                log.debug("re-subscribed to {} after a reconnect; waking its waiters", channel);
                c.waiters.forEach(Waiter::wake);
            }
            c.confirmed = true;
        }
    }

    @Override
    public void close() {
        connection.close();
        channels.clear();
    }
}
