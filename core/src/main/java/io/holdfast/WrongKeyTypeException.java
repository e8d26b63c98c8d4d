package io.holdfast;

/**
 * A lock's key holds a value that Holdfast did not write (not a hash). Holdfast changed nothing;
 * somebody else uses that key name.
 */
public class WrongKeyTypeException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception for a key of another type.
     *
     * @param message what went wrong, naming the lock or the server
     * @param cause the underlying failure
     */
    public WrongKeyTypeException(String message, Throwable cause) {
        super(message, cause);
    }
}
