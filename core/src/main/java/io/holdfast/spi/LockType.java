package io.holdfast.spi;

import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;

/**
 * A kind of lock the client hands out, and the API type of its locks: the typed key by which a
 * {@link LockProvider} says what it makes and the client finds it. A provider of
 * {@code LockType<RLock>} can only make {@link RLock}s (the compiler checks it), so the client
 * gets the type it asked for without an unchecked cast.
 *
 * @param <L> the API type of the locks of this kind
 */
public final class LockType<L> {

    /** {@code Holdfast.getLock}: the reentrant exclusive lock (module holdfast-reentrant). */
    public static final LockType<RLock> REENTRANT = new LockType<>("reentrant", RLock.class);

    /** {@code Holdfast.getFairLock}: the FIFO fair lock (module holdfast-fair). */
    public static final LockType<RLock> FAIR = new LockType<>("fair", RLock.class);

    /** {@code Holdfast.getReadWriteLock}: the read-write lock (module holdfast-readwrite). */
    public static final LockType<RReadWriteLock> READ_WRITE = new LockType<>("readwrite", RReadWriteLock.class);

    private final String name;
    private final Class<L> api;

    private LockType(String name, Class<L> api) {
        this.name = name;
        this.api = api;
    }

    /** The kind's name, as in its module's name ({@code holdfast-<name>}) and in error messages. */
    public String name() {
        return name;
    }

    /**
     * {@code lock} as this kind's API type.
     *
     * @throws ClassCastException if it is not one (a lock made by a provider of another type)
     */
    public L cast(Object lock) {
        return api.cast(lock);
    }

    @Override
    public String toString() {
        return name;
    }
}
