package io.holdfast.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.it.ClusterTopology;
import io.holdfast.testkit.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's Redis Cluster snippet ({@link ReadmeSnippets#cluster}), run against a real Cluster. */
@Tag("integration")
class ReadmeClusterSnippetTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Test
    void clusterSnippet_connectsWithTwoSeeds_andLocksOnEveryMaster() {
        List<RedisServer> masters = cluster.group().masters();
        try (Holdfast holdfast = new ReadmeSnippets(masters.get(0).commands()).cluster(
                "redis://" + masters.get(0).host() + ":" + masters.get(0).port(),
                "redis://" + masters.get(1).host() + ":" + masters.get(1).port())) {
            for (String name : cluster.namesOnEveryMaster("readme-", 1)) {
                RLock lock = holdfast.getLock(name);
                assertThat(lock.tryLock()).isTrue();
                String key = "holdfast:{" + name + "}";
                assertThat(cluster.nodeFor(key).commands().exists(key)).as("%s on its master", key).isEqualTo(1);
                lock.unlock();
                assertThat(lock.isLocked()).isFalse();
            }
        }
    }
}
