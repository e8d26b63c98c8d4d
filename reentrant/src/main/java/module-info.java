/**
 * Holdfast's reentrant exclusive lock ({@code Holdfast.getLock}) and the queued lock it shares
 * with the fair lock. Found by core through {@link java.util.ServiceLoader}; its package is
 * exported to the fair module only (the one arrow between kinds), and opened to core, whose
 * script loader reads the Lua files that sit next to these classes.
 */
@SuppressWarnings({"module", "requires-automatic"}) // fair is built after this module; Lettuce is an automatic module
module io.holdfast.reentrant {
    requires io.holdfast.core;
    requires lettuce.core;

    exports io.holdfast.reentrant to io.holdfast.fair;
    opens io.holdfast.reentrant to io.holdfast.core;

    provides io.holdfast.spi.LockProvider with io.holdfast.reentrant.ReentrantLockProvider;
}
