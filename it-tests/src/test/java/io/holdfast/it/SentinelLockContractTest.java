package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole exclusive-lock contract ({@link LockContract}) for {@link Holdfast#getLock}, with every
 * client connected through Sentinels ({@code redis-sentinel://}) to a master with two replicas,
 * all started by the test. Failover itself: {@code topology.SentinelFailoverTest}.
 */
@Tag("integration")
class SentinelLockContractTest extends LockContract {

    @RegisterExtension
    static final SentinelTopology sentinels = new SentinelTopology();

    @Override
    protected ContractTopology topology() {
        return sentinels;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }
}
