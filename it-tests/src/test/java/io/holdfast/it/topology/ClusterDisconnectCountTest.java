package io.holdfast.it.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.HoldfastOptions;
import io.holdfast.internal.ClusterLink;
import io.holdfast.it.ClusterTopology;
import io.lettuce.core.KillArgs;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The count of lost command connections that the engine consults for a "not held" release
 * ({@code RedisGateway.disconnects()}) on a Cluster: the connections Lettuce opens and closes at
 * every periodic topology refresh do not count (they would make every release look re-sent); a
 * master's command connection that is killed does.
 */
@Tag("integration")
class ClusterDisconnectCountTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Test
    void topologyRefreshes_doNotCount_butAKilledCommandConnectionDoes() throws Exception {
        ClientResources resources = DefaultClientResources.create();
        ClusterLink link = ClusterLink.connect(HoldfastOptions.builder(cluster.uri()).build(), resources);
        try {
            for (String name : cluster.namesOnEveryMaster("count-", 1)) {
                link.gateway().async().get("holdfast:{" + name + "}").get(5, TimeUnit.SECONDS); // a connection per master
            }
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)) // more than one 5 s refresh
                    .until(() -> link.gateway().disconnects() == 0);
            cluster.firstMaster().commands().clientKill(KillArgs.Builder.typeNormal().skipme(true));
            await().atMost(Duration.ofSeconds(5)).until(() -> link.gateway().disconnects() >= 1);
            assertThat(link.gateway().disconnects()).as("only the killed master's command connection").isEqualTo(1);
        } finally {
            link.client().shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
