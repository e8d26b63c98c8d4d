package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;

/** The exclusive-lock contract, unchanged, for the write lock of {@link Holdfast#getReadWriteLock}. */
@Tag("integration")
class WriteLockContractTest extends LockContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getReadWriteLock(name).writeLock();
    }
}
