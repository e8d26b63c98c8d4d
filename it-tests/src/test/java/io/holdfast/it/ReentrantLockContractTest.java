package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;

/** The lock contract for {@link Holdfast#getLock}. */
@Tag("integration")
class ReentrantLockContractTest extends LockContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }
}
