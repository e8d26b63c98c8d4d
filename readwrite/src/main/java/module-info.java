/**
 * Holdfast's read-write lock ({@code Holdfast.getReadWriteLock}). Exports nothing; found by core
 * through {@link java.util.ServiceLoader}; its package is opened to core, whose script loader
 * reads the Lua files that sit next to these classes.
 */
@SuppressWarnings("requires-automatic") // Lettuce is an automatic module
module io.holdfast.readwrite {
    requires io.holdfast.core;
    requires lettuce.core;

    opens io.holdfast.readwrite to io.holdfast.core;

    provides io.holdfast.spi.LockProvider with io.holdfast.readwrite.ReadWriteLockProvider;
}
