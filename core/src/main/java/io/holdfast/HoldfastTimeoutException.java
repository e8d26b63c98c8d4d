package io.holdfast;

/** Redis did not answer a command within the configured command timeout. */
public class HoldfastTimeoutException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception for a command that timed out.
     *
     * @param message what went wrong, naming the lock or the server
     * @param cause the underlying failure
     */
    public HoldfastTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
