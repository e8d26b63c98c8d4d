package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;

/** The lock contract for {@link Holdfast#getFairLock}: a fair lock is first of all a lock. */
@Tag("integration")
class FairLockContractTest extends LockContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getFairLock(name);
    }
}
