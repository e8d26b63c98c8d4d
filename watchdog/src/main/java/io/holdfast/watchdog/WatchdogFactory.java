package io.holdfast.watchdog;

import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LeaseKeeperFactory;

/**
 * Gives every client a {@link Watchdog} on its own timer and connection. Batches are split by the
 * slot of their items' keys ({@link io.holdfast.spi.RedisGateway#slotOf}): on a Redis Cluster one
 * script call per slot (Lettuce pipelines the calls of one node on that node's connection), never
 * a call whose keys span slots; on one server every key counts as slot 0, so one call renews up to
 * {@value Watchdog#BATCH} leases of any locks.
 */
public final class WatchdogFactory implements LeaseKeeperFactory {

    @Override
    public LeaseKeeper create(ClientContext context) {
        return new Watchdog(context.timer(), new RenewalSender(context.redis()), context.redis()::slotOf, context.ticker(),
                context.observer());
    }
}
