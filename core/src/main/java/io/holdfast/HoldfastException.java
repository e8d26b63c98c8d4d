package io.holdfast;

/** Base of Holdfast's unchecked exceptions that are not about lock ownership. */
public class HoldfastException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HoldfastException(String message, Throwable cause) {
        super(message, cause);
    }

    public HoldfastException(String message) {
        super(message);
    }
}
