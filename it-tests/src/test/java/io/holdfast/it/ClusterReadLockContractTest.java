package io.holdfast.it;

import io.holdfast.testkit.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract of {@link ReadLockContractTest} on a Redis Cluster (3 masters, a replica each, started by the
 * test), every client connected with {@code redis-cluster://}: each lock lives on the master of its
 * slot, wake-ups go by sharded pub/sub there. Failover, migration and traffic per node:
 * {@code topology.ClusterFaultsTest}.
 */
@Tag("integration")
class ClusterReadLockContractTest extends ReadLockContractTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Override
    protected String redisUri() {
        return cluster.uri();
    }

    @Override
    protected RedisServer server() {
        return cluster.firstMaster();
    }

    @Override
    protected RedisServer serverOf(String key) {
        return cluster.nodeFor(key);
    }

    @Override
    protected List<String> subscribedChannels() {
        return cluster.subscribedChannels("holdfast:*");
    }
}
