/**
 * Holdfast's watchdog: the lease registry and batched renewal on a Netty timer. It exports
 * nothing; core finds it by {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("requires-automatic") // Lettuce is an automatic module
module io.holdfast.watchdog {
    requires io.holdfast.core;
    requires lettuce.core;
    requires io.netty.common;
    requires org.slf4j;

    provides io.holdfast.spi.LeaseKeeperFactory with io.holdfast.watchdog.WatchdogFactory;
}
