package io.holdfast.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read-lock contract ({@link ReadLockContractTest}, the write lock as the blocker), with every
 * client connected through Sentinels ({@code redis-sentinel://}) to a master with two replicas,
 * all started by the test. Failover itself: {@code topology.SentinelFailoverTest}.
 */
@Tag("integration")
class SentinelReadLockContractTest extends ReadLockContractTest {

    @RegisterExtension
    static final SentinelTopology sentinels = new SentinelTopology();

    @Override
    protected ContractTopology topology() {
        return sentinels;
    }
}
