package io.holdfast.stress;

import io.holdfast.HoldfastOptions;
import io.holdfast.internal.Client;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.watchdog.WatchdogFactory;

/**
 * One client's shared state (hold registry, watchdog) as the real classes build it, over a
 * {@link FakeRedis} and a {@link ManualTimer}. Lease-loss events run on the calling thread.
 */
final class FakeClient {

    private static final HoldfastOptions OPTIONS = HoldfastOptions.builder("redis://fake:0").build();

    final FakeRedis redis;
    final ManualTimer timer = new ManualTimer();
    final Client ctx;
    final LeaseKeeper watchdog;

    /** @param renewed how the fake server answers renewals: renewed, or gone */
    FakeClient(boolean renewed) {
        redis = new FakeRedis(renewed);
        ctx = new Client("stress", OPTIONS, redis.gateway(), null, timer, Runnable::run);
        watchdog = new WatchdogFactory().create(ctx);
        ctx.keeper(watchdog);
    }
}
