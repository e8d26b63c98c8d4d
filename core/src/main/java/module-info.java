/**
 * Holdfast: distributed reentrant, fair and read-write locks over Redis.
 *
 * <p>The public API is {@link io.holdfast}: {@link io.holdfast.Holdfast} (the client),
 * {@link io.holdfast.RLock}, {@link io.holdfast.RReadWriteLock}, their options, listeners and
 * exceptions. It names no type of Caffeine, and of Lettuce and Netty only the two hooks a user may
 * pass in ({@code HoldfastOptions.Builder#clientResources}, {@code #timer}), whose modules are
 * required transitively, so a user's module needs only {@code requires io.holdfast.core;}.
 *
 * <p>The lock kinds and the watchdog are separate modules, found by {@link java.util.ServiceLoader}
 * ({@code uses} below): put {@code holdfast-reentrant}, {@code -fair}, {@code -readwrite} and
 * {@code -watchdog} on the module path (or add {@code holdfast-all}) and the resolver binds them.
 * {@code io.holdfast.spi}, what a kind needs from the engine, is exported to those modules only
 * (and to {@code holdfast-quorum}, whose multi-lock takes members of one slot in one script call
 * through {@code TakenTogether}); it is not a supported API. The engine itself ({@code io.holdfast.internal}: waiting, hold
 * registry, pub/sub hub, undo of lost replies) is exported to no module.
 */
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"}) // the qualified exports name modules built after this one; Lettuce is an automatic module
module io.holdfast.core {
    requires transitive lettuce.core; // HoldfastOptions.Builder#clientResources takes Lettuce's ClientResources
    requires reactor.core; // Lettuce's event bus, to follow a Cluster's slot moves
    requires transitive io.netty.common; // HoldfastOptions.Builder#timer takes a Netty Timer
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    exports io.holdfast;
    exports io.holdfast.spi to
            io.holdfast.watchdog,
            io.holdfast.reentrant,
            io.holdfast.fair,
            io.holdfast.readwrite,
            io.holdfast.quorum; // TakenTogether, for the multi-lock

    uses io.holdfast.spi.LeaseKeeperFactory;
    uses io.holdfast.spi.LockProvider;
}
