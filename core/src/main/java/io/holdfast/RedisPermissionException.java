package io.holdfast;

/**
 * The Redis user Holdfast logs in as lacks a permission Holdfast needs, found at
 * {@link Holdfast#connect}: its message names the command and the ACL rule to grant, e.g.
 * {@code &holdfast:*} for the channels releases publish wake-ups on. Failing at connect is the
 * point: a release script that could write but not {@code PUBLISH} would free the lock and then
 * fail, leaving this client believing it still holds it and waiters asleep.
 */
public class RedisPermissionException extends HoldfastException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception for a missing permission.
     *
     * @param message what went wrong, naming the lock or the server
     * @param cause the underlying failure
     */
    public RedisPermissionException(String message, Throwable cause) {
        super(message, cause);
    }
}
