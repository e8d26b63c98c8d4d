package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import org.awaitility.core.ConditionTimeoutException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Exercises {@link RedisClusterGroup} with real redis-server cluster nodes. */
@Tag("integration")
class RedisClusterGroupTest {

    private static final int KEYS = 200;

    @Test
    @Timeout(60)
    void start_threeMastersWithAReplicaEach_keysSpreadOverAllMasters() {
        List<Long> pids = new ArrayList<>();
        try (RedisClusterGroup cluster = RedisClusterGroup.start()) {
            cluster.servers().forEach(node -> pids.add(node.pid()));
            assertThat(cluster.servers()).hasSize(6);
            assertThat(cluster.masters())
                    .containsExactlyElementsOf(cluster.servers().subList(0, 3));
            assertThat(cluster.replicas()).containsExactlyInAnyOrderElementsOf(
                    cluster.servers().subList(3, 6));
            for (RedisServer master : cluster.masters()) {
                assertThat(cluster.replicasOf(master)).hasSize(1);
            }
            assertThat(cluster.nodeForSlot(0)).isSameAs(cluster.servers().get(0));
            assertThat(cluster.nodeForSlot(RedisClusterGroup.SLOTS - 1))
                    .isSameAs(cluster.servers().get(2));
            assertThat(RedisURI.create(cluster.seedUris().get(0).toURI().toString()).getPort())
                    .isEqualTo(cluster.servers().get(0).port());

            RedisClusterClient client = RedisClusterClient.create(cluster.uri());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                RedisAdvancedClusterCommands<String, String> redis = connection.sync();
                Set<RedisServer> owners = new HashSet<>();
                for (int i = 0; i < KEYS; i++) {
                    redis.set("key-" + i, Integer.toString(i));
                    RedisServer owner = cluster.nodeFor("key-" + i);
                    owners.add(owner);
                    assertThat(owner.commands().clusterKeyslot("key-" + i))
                            .isEqualTo(RedisClusterGroup.slotOf("key-" + i));
                }
                assertThat(owners).containsExactlyInAnyOrderElementsOf(cluster.masters());
                assertThat(redis.get("key-7")).isEqualTo("7");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        assertThat(pids).hasSize(6).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    }

    @Test
    @Timeout(60)
    void migrateSlot_movesItsKeys_andTheClientFollowsMoved() {
        try (RedisClusterGroup cluster = RedisClusterGroup.start()) {
            RedisClusterClient client = RedisClusterClient.create(cluster.seedUris());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                RedisAdvancedClusterCommands<String, String> redis = connection.sync();
                // three keys in one slot, through a hash tag
                List<String> keys = IntStream.range(0, 3).mapToObj(i -> "{moving}-" + i).toList();
                keys.forEach(key -> redis.set(key, "v-" + key));
                int slot = RedisClusterGroup.slotOf("{moving}");
                RedisServer from = cluster.nodeForSlot(slot);
                RedisServer to = cluster.masters().stream().filter(m -> m != from).findFirst()
                        .orElseThrow();

                int moved = cluster.migrateSlot(slot, from, to);

                assertThat(moved).isEqualTo(3);
                assertThat(cluster.nodeForSlot(slot)).isSameAs(to);
                assertThat(from.commands().clusterCountKeysInSlot(slot)).isZero();
                assertThat(to.commands().clusterCountKeysInSlot(slot)).isEqualTo(3);
                for (String key : keys) {
                    // the client's slot map still names 'from': it follows MOVED to 'to'
                    assertThat(redis.get(key)).isEqualTo("v-" + key);
                }
                redis.set("{moving}-new", "x");
                assertThat(to.commands().get("{moving}-new")).isEqualTo("x");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    @Timeout(60)
    void killMaster_itsReplicaTakesOver_andWritesSucceed() {
        try (RedisClusterGroup cluster = RedisClusterGroup.start()) {
            RedisClusterClient client = RedisClusterClient.create(cluster.seedUris());
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                connection.setTimeout(Duration.ofSeconds(2));
                RedisAdvancedClusterCommands<String, String> redis = connection.sync();
                redis.set("victim", "1");
                RedisServer master = cluster.nodeFor("victim");
                RedisServer replica = cluster.replicasOf(master).get(0);
                master.commands().waitForReplication(1, 2000);

                cluster.killMaster(master);
                RedisServer promoted = cluster.awaitFailover(master, Duration.ofSeconds(20));

                assertThat(promoted).isSameAs(replica);
                assertThat(cluster.nodeFor("victim")).isSameAs(promoted);
                assertThat(cluster.masters()).hasSize(3).contains(promoted).doesNotContain(master);
                // How a client learns of the failover is the client's business, not the
                // fixture's: with periodic (500 ms) and all adaptive refresh triggers enabled,
                // Lettuce 7.7 still kept the old slot map for 15 s in 2 runs out of 4 here, so
                // the test asks for a refresh. The Cluster support must look into this.
                client.refreshPartitions();
                AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();
                try {
                    await("writes to the promoted replica succeed")
                            .atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> {
                                try {
                                    return "OK".equals(redis.set("victim", "2"));
                                } catch (RuntimeException e) {
                                    lastFailure.set(e);
                                    return false;
                                }
                            });
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("writes still fail; the last failure: "
                            + lastFailure.get() + "\nclient's view: " + connection.getPartitions()
                            + "\nnode 1's view:\n"
                            + promoted.commands().clusterNodes(), e);
                }
                assertThat(promoted.commands().get("victim")).isEqualTo("2");
                for (int i = 0; i < KEYS; i++) {
                    redis.set("after-" + i, "x");
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
