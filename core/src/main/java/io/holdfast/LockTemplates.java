package io.holdfast;

/** The one "action, then unlock in a finally" of {@link RLock}'s templates. */
final class LockTemplates {

    private LockTemplates() {
    }

    /**
     * Runs {@code action} (the lock is held), then unlocks: the action's exception wins, with the
     * unlock's suppressed in it; otherwise the unlock's exception propagates.
     */
    static <T, E extends Exception> T callThenUnlock(RLock lock, RLock.Action<T, E> action) throws E {
        T result;
        try {
            result = action.call();
        } catch (Throwable failure) {
            try {
                lock.unlock();
            } catch (RuntimeException unlockFailure) {
                failure.addSuppressed(unlockFailure);
            }
            throw failure;
        }
        lock.unlock();
        return result;
    }
}
