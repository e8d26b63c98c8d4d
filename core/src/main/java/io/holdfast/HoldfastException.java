package io.holdfast;

/** Base of Holdfast's unchecked exceptions that are not about lock ownership. */
public class HoldfastException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message and its cause.
     *
     * @param message what went wrong, naming the lock or the server
     * @param cause the underlying failure
     */
    public HoldfastException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An exception with a message.
     *
     * @param message what went wrong, naming the lock or the server
     */
    public HoldfastException(String message) {
        super(message);
    }
}
