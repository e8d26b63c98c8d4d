package io.holdfast.spi;

/** Found by {@link java.util.ServiceLoader}: the watchdog module provides the client's {@link LeaseKeeper}. */
public interface LeaseKeeperFactory {

    LeaseKeeper create(ClientContext context);
}
