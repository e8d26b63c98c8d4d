package io.holdfast.spi;

import java.util.List;

/**
 * Found by {@link java.util.ServiceLoader}: a lock module makes its kind of lock.
 *
 * @param <L> the API type of the locks it makes ({@link #type()}'s)
 */
public interface LockProvider<L> {

    /** Which kind of lock this provider makes; the client keeps the first provider of each. */
    LockType<L> type();

    /** A new lock object of this kind; it keeps no hold state of its own. */
    L create(ClientContext context, String name);

    /**
     * The suffixes this kind derives a lock's further keys with ({@link LockKeys#derived}). The
     * client refuses lock names that would produce one of them (see
     * {@link LockKeys#of(String, String, java.util.Collection)}), for every kind on its class path.
     */
    default List<LockKeys.KeySuffix> keySuffixes() {
        return List.of();
    }
}
