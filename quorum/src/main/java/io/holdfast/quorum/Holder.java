package io.holdfast.quorum;

/**
 * Who holds a group lock: a thread of this process (the blocking API) or an owner token (the async
 * API). The two never collide, as in the member locks.
 *
 * @param thread whether {@code id} is a thread id
 * @param id the thread id or the owner token
 */
record Holder(boolean thread, long id) {

    static Holder ofThread(Thread t) {
        return new Holder(true, t.getId());
    }

    static Holder ofOwner(long owner) {
        return new Holder(false, owner);
    }

    @Override
    public String toString() {
        return thread ? "thread " + id : "owner " + id;
    }
}
