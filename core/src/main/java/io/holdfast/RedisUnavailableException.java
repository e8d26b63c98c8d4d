package io.holdfast;

/** Redis could not be reached (connection refused, reset, authentication failed). */
public class RedisUnavailableException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
