package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole exclusive-lock contract ({@link LockContract}) for the write lock of
 * {@link Holdfast#getReadWriteLock}, with every
 * client connected through Sentinels ({@code redis-sentinel://}) to a master with two replicas,
 * all started by the test. Failover itself: {@code topology.SentinelFailoverTest}.
 */
@Tag("integration")
class SentinelWriteLockContractTest extends LockContract {

    @RegisterExtension
    static final SentinelTopology sentinels = new SentinelTopology();

    @Override
    protected ContractTopology topology() {
        return sentinels;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getReadWriteLock(name).writeLock();
    }
}
