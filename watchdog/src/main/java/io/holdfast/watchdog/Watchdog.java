package io.holdfast.watchdog;

import io.holdfast.HoldfastObserver;
import io.holdfast.Ticker;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps leases alive with batched renewals on the client's Netty timer.
 *
 * <p>Only for live holders: an item whose holder has ended (a thread that died holding a lock) is
 * dropped and reported gone at the next sweep instead of being renewed; its lease then runs out.
 *
 * <p>Renewal: items are grouped by lease length (every watchdog hold of a client has the same
 * lease; fair-lock queue places have their own). While it has items, each group sweeps every
 * {@value #SWEEPS_PER_LEASE}th of its lease, at a fixed rate counted from when each sweep was due
 * (not from when the last one finished, so a slow sweep of many items does not stretch the
 * interval). A sweep reports items past their deadline as gone and renews the items with less than
 * half their lease left, so an item is renewed once between 1/2 and 7/12 of its lease has elapsed
 * since its last renewal was sent: about 1.7 renewals per lease, with the rest of the lease (at
 * least 5/12 of it) to spare for a renewal that is slow or has to be retried. Items whose renewal
 * is still on the wire are not sent again. To spread renewals that come due together (many locks taken at
 * once) over the lease, a sweep that finds fewer items due than an even share
 * ({@link #evenShare}) also renews items due at the next sweep, up to that share: each lease
 * cycle moves part of a burst one sweep earlier, until every sweep renews about as many.
 * Renewals go out as one script call per batch of up to {@value #BATCH} items of the same script
 * (and, on a Cluster, the same slot; on one standalone server every key is in one "slot", so one
 * call renews 256 locks of any names). A reply of 0 for an item means the server no longer has it:
 * the item is reported gone at once.
 *
 * <p>Failure: when a batch fails (Redis unreachable, timeout), its items stay registered and the
 * next sweep, a twelfth of the lease later, sends them again; an item whose deadline passes before
 * a renewal of it is confirmed is reported gone ("not renewed in time"), even while one is still on
 * the wire (a late reply for it is then ignored).
 *
 * <p>Concurrency: {@link #register} and {@link #cancel} only touch a concurrent set, so they never
 * wait for a sweep. A cancelled item is not renewed by later sweeps and not reported by a sweep in
 * flight (its reply is checked against the set); a renewal already on the wire may still extend a
 * key, which is harmless because the script only extends a hold that still exists. Sweeps of one
 * group run one at a time (one chain of timer tasks, started by whoever sets {@code scheduled}).
 */
public final class Watchdog implements LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    static final int BATCH = 256;

    /** Sweeps per lease; an item is renewed at the first sweep after half its lease elapsed. */
    static final int SWEEPS_PER_LEASE = 12;

    private final Timer timer;
    private final RenewalSender sender;
    private final ToIntFunction<String> slotOf;
    private final Ticker clock;
    private final HoldfastObserver observer;
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param slotOf the Cluster slot of a key, for grouping batches; a client of one standalone
     *     server passes {@code key -> 0}, so that one call renews up to {@value #BATCH} leases of
     *     any locks (grouping by slot there would cost one call per lock name)
     * @param clock the client's ticker: the one its items' deadlines are read on, and the one
     *     {@code timer}'s delays should pass on
     */
    public Watchdog(Timer timer, RenewalSender sender, ToIntFunction<String> slotOf, Ticker clock) {
        this(timer, sender, slotOf, clock, HoldfastObserver.NONE);
    }

    /** @param observer told of every batch's renewals or failure (the client's, which never throws) */
    public Watchdog(Timer timer, RenewalSender sender, ToIntFunction<String> slotOf, Ticker clock,
            HoldfastObserver observer) {
        this.observer = observer;
        this.timer = timer;
        this.sender = sender;
        this.slotOf = slotOf;
        this.clock = clock;
    }

    @Override
    public void register(Renewable item) {
        if (closed) {
            return;
        }
        Group g = groups.computeIfAbsent(item.leaseMillis(), Group::new);
        g.items.add(item);
        g.ensureScheduled();
        g.renewEarlyIfShort(item);
    }

    @Override
    public void cancel(Renewable item) {
        Group g = groups.get(item.leaseMillis());
        if (g != null) {
            g.items.remove(item);
        }
    }

    @Override
    public int size() {
        return groups.values().stream().mapToInt(g -> g.items.size()).sum();
    }

    @Override
    public void close() {
        closed = true;
        groups.values().forEach(g -> g.items.clear());
    }

    /**
     * How many renewals a sweep of {@code items} items should send for the renewals to be spread
     * evenly: each item is renewed about every 7 sweeps, so a seventh; asked of the sweeps as an
     * eighth, so that a sweep tops up only when clearly short (not for every small unevenness).
     */
    static int evenShare(int items) {
        return items / 8;
    }

    /** The items of one lease length and their sweep schedule. */
    private final class Group {
        final long leaseMillis;
        final long periodNanos;
        final long dueNanos;
        final Set<Renewable> items = ConcurrentHashMap.newKeySet();
        /** Items of a batch sent and not answered yet: not sent again meanwhile. */
        final Set<Renewable> inFlight = ConcurrentHashMap.newKeySet();
        final AtomicBoolean scheduled = new AtomicBoolean();

        Group(long leaseMillis) {
            long leaseNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis);
            this.leaseMillis = leaseMillis;
            this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), leaseNanos / SWEEPS_PER_LEASE);
            this.dueNanos = leaseNanos / 2;
        }

        /**
         * An item that comes in with less time left than the next sweep surely leaves it (a
         * hand-over grants a first lease of at most the waiter timeout) is renewed on its own, at
         * half of what it has left, and again at half of what is then left while it stays that
         * short (the renewal failed or is slow); from then on the sweeps keep it.
         */
        void renewEarlyIfShort(Renewable item) {
            long left = item.validUntilNanos() - clock.nanoTime();
            if (left <= 0 || left >= periodNanos * 3 / 2) {
                return; // expired already (the next sweep reports it gone), or the sweeps are in time
            }
            timer.newTimeout(t -> {
                if (closed || !items.contains(item)) {
                    return;
                }
                long stillLeft = item.validUntilNanos() - clock.nanoTime();
                if (stillLeft > 0 && stillLeft < periodNanos * 3 / 2 && !inFlight.contains(item)) {
                    send(item.renewScript(), leaseMillis, List.of(item));
                }
                renewEarlyIfShort(item);
            }, Math.max(1, left / 2), TimeUnit.NANOSECONDS);
        }

        void ensureScheduled() {
            if (!items.isEmpty() && scheduled.compareAndSet(false, true)) {
                scheduleAt(clock.nanoTime() + periodNanos);
            }
        }

        void scheduleAt(long atNanos) {
            if (closed) {
                scheduled.set(false);
                return;
            }
            long delay = Math.max(0, atNanos - clock.nanoTime());
            timer.newTimeout(t -> sweep(atNanos), delay, TimeUnit.NANOSECONDS);
        }

        void sweep(long dueAtNanos) {
            if (items.isEmpty() || closed) {
                scheduled.set(false);
                ensureScheduled(); // an item may have come in after the emptiness check
                return;
            }
            long now = clock.nanoTime();
            long next = dueAtNanos + periodNanos;
            // fixed rate; after a long stall (GC, suspended VM) go on from now instead of catching up in a burst
            scheduleAt(next - now > 0 ? next : now + periodNanos);
            Map<Script, Map<Integer, List<Renewable>>> batches = new HashMap<>();
            for (Renewable item : due(now)) {
                int slot = slotOf.applyAsInt(item.renewKeys().get(0));
                batches.computeIfAbsent(item.renewScript(), s -> new HashMap<>())
                        .computeIfAbsent(slot, s -> new ArrayList<>()).add(item);
            }
            batches.forEach((script, bySlot) -> bySlot.values().forEach(list -> {
                for (int from = 0; from < list.size(); from += BATCH) {
                    send(script, leaseMillis, list.subList(from, Math.min(list.size(), from + BATCH)));
                }
            }));
        }

        /**
         * Reports the items past their deadline or with their holder ended as gone, and returns those
         * to renew now: the ones with less than half their lease left, topped up to an even share
         * with the ones that will be due at the next sweep. Items on the wire are left alone.
         */
        private List<Renewable> due(long now) {
            List<Renewable> due = new ArrayList<>();
            List<Renewable> soon = new ArrayList<>();
            for (Renewable item : items) {
                long left = item.validUntilNanos() - now;
                if (!item.holderAlive()) {
                    items.remove(item);
                    item.gone("its owner ended without unlocking; renewal stopped, the lease runs out on the server");
                } else if (left <= 0) {
                    items.remove(item);
                    item.gone("not renewed before its lease of " + leaseMillis + " ms ran out (Redis unreachable?)");
                } else if (inFlight.contains(item)) {
                    continue;
                } else if (left < dueNanos) {
                    due.add(item);
                } else if (left < dueNanos + periodNanos) {
                    soon.add(item);
                }
            }
            int topUp = Math.min(soon.size(), evenShare(items.size()) - due.size());
            if (topUp > 0) {
                due.addAll(soon.subList(0, topUp));
            }
            return due;
        }

        void send(Script script, long lease, List<Renewable> batch) {
            inFlight.addAll(batch);
            long sent = clock.nanoTime();
            sender.send(script, lease, batch).whenComplete((renewed, error) -> {
                if (error != null) {
                    log.debug("renewal of {} leases failed; the next sweep retries", batch.size(), error);
                    batch.forEach(inFlight::remove);
                    observer.renewalFailed(batch.size(), error);
                    return;
                }
                int gone = 0;
                List<Renewable> switched = null;
                for (int i = 0; i < renewed.length; i++) {
                    Renewable item = batch.get(i);
                    if (!items.contains(item)) {
                        inFlight.remove(item); // cancelled, or reported gone meanwhile: the reply is stale
                    } else if (!renewed[i]) {
                        gone++;
                        inFlight.remove(item);
                        if (items.remove(item)) {
                            item.gone("the server no longer has it (lease expired or key deleted)");
                        }
                    } else {
                        item.renewed(sent);
                        if (item.renewScript() != script) {
                            if (switched == null) {
                                switched = new ArrayList<>();
                            }
                            switched.add(item); // stays in flight until renewed again
                        } else {
                            inFlight.remove(item);
                        }
                    }
                }
                log.debug("renewed {} leases of {} ms", batch.size(), leaseMillis);
                observer.renewed(renewed.length - gone, gone, clock.nanoTime() - sent);
                if (switched != null) {
                    renewAgain(switched);
                }
            });
        }

        /**
         * Renews once more, with their new script and to the deadline the client knows for them,
         * items whose script changed while a batch of the old one was on the wire (see
         * {@link Renewable#renewScript()}).
         */
        private void renewAgain(List<Renewable> switched) {
            long now = clock.nanoTime();
            for (Renewable item : switched) {
                long left = TimeUnit.NANOSECONDS.toMillis(item.validUntilNanos() - now) + 1;
                log.debug("{} changed its renewal script while renewed; renewing it again", item);
                send(item.renewScript(), Math.max(leaseMillis, left), List.of(item));
            }
        }
    }
}
