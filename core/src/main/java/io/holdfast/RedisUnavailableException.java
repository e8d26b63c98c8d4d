package io.holdfast;

/** Redis could not be reached (connection refused, reset, authentication failed). */
public class RedisUnavailableException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception for a Redis that cannot be reached.
     *
     * @param message what went wrong, naming the lock or the server
     * @param cause the underlying failure
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
