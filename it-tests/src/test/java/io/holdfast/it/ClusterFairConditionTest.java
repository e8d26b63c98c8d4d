package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The condition contract of {@link Holdfast#getFairLock} on a Redis Cluster (3 masters, a replica each). */
@Tag("integration")
class ClusterFairConditionTest extends ConditionContract {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Override
    protected ContractTopology topology() {
        return cluster;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getFairLock(name);
    }
}
