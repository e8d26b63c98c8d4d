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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
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
            List<String> names = cluster.namesOnEveryMaster("count-", 1);
            for (String name : names) {
                link.gateway().async().get("holdfast:{" + name + "}").get(5, TimeUnit.SECONDS); // a connection per master
            }
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)) // more than one 5 s refresh
                    .until(() -> link.gateway().disconnects() == 0);
            // Once, a loaded CI box counted no disconnect within 5 s of the kill (not reproduced
            // alone): the kill is tried again, each time after a command that proves the master's
            // connection up, and every try that was not counted is printed with the client's view.
            for (int attempt = 1; attempt <= 3 && link.gateway().disconnects() == 0; attempt++) {
                link.gateway().async().get("holdfast:{" + names.get(0) + "}").get(5, TimeUnit.SECONDS);
                long killed = cluster.firstMaster().commands().clientKill(KillArgs.Builder.typeNormal().skipme(true));
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> link.gateway().disconnects() >= 1);
                } catch (ConditionTimeoutException e) {
                    System.out.printf("kill %d of %s's %d normal connections not counted; the client's view:%n%s%n",
                            attempt, cluster.firstMaster(), killed, link.connection().getPartitions());
                }
            }
            assertThat(link.gateway().disconnects()).as("only the killed master's command connection").isEqualTo(1);
        } finally {
            link.client().shutdown(0, 2, TimeUnit.SECONDS);
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
