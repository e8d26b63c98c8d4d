package io.holdfast.internal;

import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Renewable;
import io.holdfast.HoldfastOptions;
import io.holdfast.internal.fixtures.FakePubSub;
import io.holdfast.internal.fixtures.ManualClock;
import io.holdfast.internal.fixtures.ScriptedKind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One client's engine as {@code Holdfast} wires it, without Redis: the ticker and timer are a
 * {@link ManualClock} set through the options, the lock kind is a {@link ScriptedKind}, the pub/sub
 * connection confirms at once, and user callbacks run on the calling thread. The command
 * connection is absent (nothing here may reach it).
 */
final class ManualClient {

    static final String HOLDER = "client:1";

    final ManualClock clock;
    final ScriptedKind kind;
    final FakePubSub pubSub = new FakePubSub();
    /** What the engine handed to the watchdog. */
    final List<Renewable> renewing = new CopyOnWriteArrayList<>();
    final Client ctx;
    final LockKeys keys;

    ManualClient() {
        this(new ManualClock());
    }

    ManualClient(ManualClock clock) {
        this.clock = clock;
        this.kind = new ScriptedKind(clock);
        HoldfastOptions options = HoldfastOptions.builder("redis://fake:0").ticker(clock).timer(clock).build();
        ctx = new Client("client", options, new RedisGateway(null, "fake:0"),
                new PubSubHub(pubSub.connection()), options.timer().orElseThrow(), Runnable::run);
        ctx.keeper(new LeaseKeeper() {
            @Override
            public void register(Renewable item) {
                renewing.add(item);
            }

            @Override
            public void cancel(Renewable item) {
                renewing.remove(item);
            }

            @Override
            public int size() {
                return renewing.size();
            }

            @Override
            public void close() {
            }
        });
        keys = ctx.keys("orders");
    }

    /** A fresh acquisition by {@link #HOLDER} with an explicit lease, waiting up to {@code waitMillis} (-1: for ever). */
    CompletableFuture<Hold> acquire(long leaseMillis, long waitMillis) {
        long waitNanos = waitMillis < 0 ? -1 : TimeUnit.MILLISECONDS.toNanos(waitMillis);
        return ctx.engine().acquire(kind, keys, HOLDER, null, leaseMillis, waitNanos).result();
    }

    /** The ticker's reading, in ms since {@code origin}. */
    long millisSince(long origin) {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - origin);
    }
}
