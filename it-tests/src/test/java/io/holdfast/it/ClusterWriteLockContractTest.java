package io.holdfast.it;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract of {@link WriteLockContractTest} on a Redis Cluster (3 masters, a replica each, started by the
 * test), every client connected with {@code redis-cluster://}: each lock lives on the master of its
 * slot, wake-ups go by sharded pub/sub there. Failover, migration and traffic per node:
 * {@code topology.ClusterFaultsTest}.
 */
@Tag("integration")
class ClusterWriteLockContractTest extends WriteLockContractTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Override
    protected ContractTopology topology() {
        return cluster;
    }
}
