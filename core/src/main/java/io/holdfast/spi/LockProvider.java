package io.holdfast.spi;

/**
 * Found by {@link java.util.ServiceLoader}: a lock module makes its kind of lock by name.
 * {@link #kind()} is one of {@code "reentrant"}, {@code "fair"}, {@code "readwrite"}.
 */
public interface LockProvider {

    String kind();

    /** A new lock object of this kind; it keeps no hold state of its own. */
    Object create(ClientContext context, String name);
}
