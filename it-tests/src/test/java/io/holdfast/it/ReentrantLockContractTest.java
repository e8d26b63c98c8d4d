package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;

/** The lock contract for {@link Holdfast#getLock}. */
class ReentrantLockContractTest extends LockContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }
}
