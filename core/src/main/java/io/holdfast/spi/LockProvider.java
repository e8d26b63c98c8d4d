package io.holdfast.spi;

import java.util.List;

/**
 * Found by {@link java.util.ServiceLoader}: a lock module makes its kind of lock by name.
 * {@link #kind()} is one of {@code "reentrant"}, {@code "fair"}, {@code "readwrite"}.
 */
public interface LockProvider {

    String kind();

    /** A new lock object of this kind; it keeps no hold state of its own. */
    Object create(ClientContext context, String name);

    /**
     * The suffixes this kind derives a lock's further keys with ({@link LockKeys#derived}). The
     * client refuses lock names that would produce one of them (see
     * {@link LockKeys#of(String, String, java.util.Collection)}), for every kind on its class path.
     */
    default List<LockKeys.KeySuffix> keySuffixes() {
        return List.of();
    }
}
