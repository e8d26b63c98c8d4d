package io.holdfast.chaos.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One direction of one link: the chunks that arrived and are not forwarded yet, in arrival order,
 * and the faults in force on that direction.
 *
 * <p>Flow: a chunk that arrives while black-holed is dropped (and the link closed when the black
 * hole ends, see {@link Link#blackhole}); any other chunk gets a due time
 * (arrival, or arrival plus a seeded random latency, never earlier than the chunk before it, so
 * order is kept) and waits in the queue. The head of the queue is forwarded once it is due and the
 * direction is not held back. Not thread-safe: every method runs on the link's event loop.
 */
final class Pipe {

    /** A chunk waiting its turn; {@code dropsReply} marks a chunk that ends a command whose reply must be lost. */
    static final class Chunk {
        final ByteBuf bytes;
        final boolean dropsReply;
        long due;

        Chunk(ByteBuf bytes, boolean dropsReply, long due) {
            this.bytes = bytes;
            this.dropsReply = dropsReply;
            this.due = due;
        }
    }

    private final EventLoop loop;
    private final Consumer<Chunk> forward;
    private final Runnable broken;
    /** Bytes were dropped by the black hole: the stream cannot go on once it ends. */
    private boolean lostBytes;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private boolean open;
    private boolean held;
    private boolean blackholed;
    private Random latency;
    private long minNanos;
    private long maxNanos;
    private long lastDue;
    private boolean pumpScheduled;

    /** @param broken closes the link: run when a black hole that dropped bytes ends */
    Pipe(EventLoop loop, Consumer<Chunk> forward, Runnable broken) {
        this.loop = loop;
        this.forward = forward;
        this.broken = broken;
    }

    void accept(ByteBuf bytes, boolean dropsReply) {
        if (blackholed) {
            bytes.release();
            lostBytes = true;
            return;
        }
        long now = System.nanoTime();
        long due = now;
        if (latency != null) {
            long delay = minNanos + (maxNanos > minNanos ? (long) (latency.nextDouble() * (maxNanos - minNanos)) : 0);
            due = Math.max(now + delay, lastDue);
        }
        lastDue = due;
        queue.add(new Chunk(bytes, dropsReply, due));
        pump();
    }

    /** Lets chunks flow (the far side is connected). */
    void open() {
        open = true;
        pump();
    }

    void hold(boolean on) {
        held = on;
        pump();
    }

    void blackhole(boolean on) {
        blackholed = on;
        if (!on) {
            breakIfBytesWereLost();
        }
    }

    private void breakIfBytesWereLost() {
        if (lostBytes) {
            lostBytes = false;
            broken.run();
        }
    }

    void latency(long minMillis, long maxMillis, long seed) {
        latency = new Random(seed);
        minNanos = TimeUnit.MILLISECONDS.toNanos(minMillis);
        maxNanos = TimeUnit.MILLISECONDS.toNanos(maxMillis);
    }

    /** No latency, no black hole, not held: everything queued is due now and flows in order. */
    void clear() {
        latency = null;
        blackholed = false;
        held = false;
        if (lostBytes) {
            breakIfBytesWereLost();
            return;
        }
        for (Chunk chunk : queue) {
            chunk.due = 0;
        }
        lastDue = 0;
        pump();
    }

    /** Drops everything queued (the link is closing). */
    void discard() {
        open = false;
        Chunk chunk;
        while ((chunk = queue.poll()) != null) {
            chunk.bytes.release();
        }
    }

    private void pump() {
        while (open && !held && !queue.isEmpty()) {
            long wait = queue.peek().due - System.nanoTime();
            if (wait > 0) {
                if (!pumpScheduled) {
                    pumpScheduled = true;
                    loop.schedule(() -> {
                        pumpScheduled = false;
                        pump();
                    }, wait, TimeUnit.NANOSECONDS);
                }
                return;
            }
            forward.accept(queue.poll());
        }
    }
}
