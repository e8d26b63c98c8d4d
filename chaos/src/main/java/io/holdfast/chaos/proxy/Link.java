package io.holdfast.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One client connection through the {@link FaultProxy} and its connection to Redis.
 *
 * <p>Every method may be called from any thread; it takes effect before it returns (it runs on
 * the link's event loop and waits for it). On a closed link the fault methods do nothing.
 *
 * <p>Dropped replies: a command matched by {@link #dropReplyTo} is forwarded to Redis; from that
 * moment nothing more reaches the client (replies to earlier pipelined commands still in flight
 * are lost too), and the client side is closed as soon as the command is written. The Redis side
 * stays open until Redis replies (or 2 s pass), so the command surely runs.
 */
public final class Link {

    private static final Set<String> SUBSCRIBE = Set.of("SUBSCRIBE", "SSUBSCRIBE", "PSUBSCRIBE");
    private static final int SEEN_LIMIT = 1_000;

    private final int id;
    private final Channel client;
    private final EventLoop loop;
    private final Consumer<Link> onClosed;
    private final Pipe toServer;
    private final Pipe toClient;
    private final RespParser parser = new RespParser();
    private final ArrayDeque<RespCommand> seen = new ArrayDeque<>();
    private volatile boolean pubSub;
    private Channel server;
    private Predicate<RespCommand> dropMatch;
    private int dropTimes;
    private boolean muted;
    private boolean draining;
    private boolean closed;

    Link(int id, Channel client, Consumer<Link> onClosed) {
        this.id = id;
        this.client = client;
        this.loop = client.eventLoop();
        this.onClosed = onClosed;
        this.toServer = new Pipe(loop, this::toServer, this::close);
        this.toClient = new Pipe(loop, this::toClient, this::close);
    }

    /** This link's number: 1 for the first connection the proxy accepted, then 2, 3... */
    public int id() {
        return id;
    }

    /** Whether the client has sent SUBSCRIBE, SSUBSCRIBE or PSUBSCRIBE on this link. */
    public boolean isPubSub() {
        return pubSub;
    }

    /** Buffers the bytes of direction {@code d}, in order, until {@link #release}. */
    public void holdBack(Direction d) {
        run(() -> pipe(d).hold(true));
    }

    /** Forwards what direction {@code d} held back, in order, then lets it flow again. */
    public void release(Direction d) {
        run(() -> pipe(d).hold(false));
    }

    /**
     * While on, bytes arriving in direction {@code d} are silently dropped. Turned off after it
     * dropped any, the link is closed: a TCP stream never goes on with bytes missing from its
     * middle (a partition ends in the bytes being sent again, or in a reset), and a client that
     * read on would take one command's reply for another's.
     */
    public void blackhole(Direction d, boolean on) {
        run(() -> pipe(d).blackhole(on));
    }

    /** Closes both sides now; bytes not forwarded yet are lost. */
    public void reset() {
        run(this::close);
    }

    /**
     * Forwards the next {@code times} commands matching {@code match} to Redis, then closes the
     * client side before their replies reach it (see the class comment).
     */
    public void dropReplyTo(Predicate<RespCommand> match, int times) {
        Objects.requireNonNull(match, "match");
        run(() -> {
            dropMatch = match;
            dropTimes = times;
        });
    }

    /** The last 1,000 commands the client sent on this link, oldest first. */
    public List<RespCommand> commandsSeen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Override
    public String toString() {
        return "Link " + id + (pubSub ? " (pub/sub)" : "");
    }

    // ---- event-loop side ----

    void connected(Channel redis) {
        server = redis;
        toServer.open();
        toClient.open();
        client.config().setAutoRead(true);
    }

    void fromClient(ByteBuf bytes) {
        if (closed) {
            bytes.release();
            return;
        }
        boolean dropsReply = false;
        for (RespCommand command : parser.feed(bytes)) {
            remember(command);
            if (dropMatch != null && dropTimes > 0 && dropMatch.test(command)) {
                dropTimes--;
                dropsReply = true;
            }
        }
        toServer.accept(bytes, dropsReply);
    }

    void fromServer(ByteBuf bytes) {
        if (muted || closed) {
            bytes.release();
            if (draining) {
                server.close();
            }
            return;
        }
        toClient.accept(bytes, false);
    }

    void clientGone() {
        if (draining) {
            return;
        }
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        toServer.discard();
        toClient.discard();
        parser.release();
        client.close();
        if (server != null && !draining) {
            server.close();
        }
        onClosed.accept(this);
    }

    Pipe pipe(Direction d) {
        return d == Direction.TO_SERVER ? toServer : toClient;
    }

    /** Runs {@code action} on the event loop and waits for it; nothing if the link is closed. */
    void run(Runnable action) {
        Runnable guarded = () -> {
            if (!closed) {
                action.run();
            }
        };
        if (loop.inEventLoop()) {
            guarded.run();
        } else if (!loop.isShuttingDown()) {
            loop.submit(guarded).syncUninterruptibly();
        }
    }

    private void remember(RespCommand command) {
        if (SUBSCRIBE.contains(command.name())) {
            pubSub = true;
        }
        synchronized (seen) {
            if (seen.size() == SEEN_LIMIT) {
                seen.poll();
            }
            seen.add(command);
        }
    }

    private void toServer(Pipe.Chunk chunk) {
        if (!chunk.dropsReply) {
            server.writeAndFlush(chunk.bytes);
            return;
        }
        muted = true;
        server.writeAndFlush(chunk.bytes);
        if (dropTimes == 0) {
            draining = true;
            Channel redis = server;
            loop.schedule(() -> redis.close(), 2, TimeUnit.SECONDS);
            close();
        }
    }

    private void toClient(Pipe.Chunk chunk) {
        if (muted) {
            chunk.bytes.release();
            return;
        }
        client.writeAndFlush(chunk.bytes);
    }
}
