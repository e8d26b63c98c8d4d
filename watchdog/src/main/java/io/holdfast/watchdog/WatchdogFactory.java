package io.holdfast.watchdog;

import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LeaseKeeperFactory;

/**
 * Gives every client a {@link Watchdog} on its own timer and connection. A client talks to one
 * standalone server, so batches are not split by Cluster slot.
 */
public final class WatchdogFactory implements LeaseKeeperFactory {

    @Override
    public LeaseKeeper create(ClientContext context) {
        return new Watchdog(context.timer(), new RenewalSender(context.redis()), key -> 0, context.ticker(),
                context.observer());
    }
}
