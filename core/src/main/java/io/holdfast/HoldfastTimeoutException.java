package io.holdfast;

/** Redis did not answer a command within the configured command timeout. */
public class HoldfastTimeoutException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    public HoldfastTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
