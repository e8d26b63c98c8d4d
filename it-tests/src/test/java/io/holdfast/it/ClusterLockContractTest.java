package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract of {@link LockContract} on a Redis Cluster (3 masters, a replica each, started by the
 * test), every client connected with {@code redis-cluster://}: each lock lives on the master of its
 * slot, wake-ups go by sharded pub/sub there. Failover, migration and traffic per node:
 * {@code topology.ClusterFaultsTest}.
 */
@Tag("integration")
class ClusterLockContractTest extends LockContract {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Override
    protected ContractTopology topology() {
        return cluster;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }
}
