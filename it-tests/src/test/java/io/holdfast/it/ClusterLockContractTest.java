package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.quorum.MultiLock;
import io.holdfast.spi.LockKeys;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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

    /**
     * A waiter listens on the master that owns its lock's slot, where the scripts publish, and on
     * no other node: sharded pub/sub goes there by itself; classic pub/sub (Redis 6.2) is heard
     * anywhere over the cluster bus, but late (the bus does not disable Nagle's algorithm), so it
     * is subscribed there too. One lock on each master.
     */
    @Test
    void aWaiter_listensOnTheMasterOfItsLocksSlot_only() throws Exception {
        List<String> names = cluster.namesOnEveryMaster("listens-", 1);
        for (String name : names) {
            String channel = LockKeys.of("holdfast:", name).channel();
            RedisServer owner = cluster.nodeFor(channel);
            RLock held = a.getLock(name);
            held.lock();
            CompletableFuture<Lease> waiting = b.getLock(name).lockAsync(11, -1, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> channelsOn(owner).contains(channel));
            for (RedisServer node : cluster.group().servers()) {
                if (!node.equals(owner)) {
                    assertThat(channelsOn(node)).as("channels on %s (the lock is on %s)", node, owner)
                            .doesNotContain(channel);
                }
            }
            held.unlock();
            waiting.get(10, TimeUnit.SECONDS);
            b.getLock(name).unlockAsync(11).get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A multi-lock over locks of one slot (one hash tag) is taken by one script call on that slot's
     * master; over locks of several slots, by one call per member, each on its own master.
     */
    @Test
    void multiLock_membersOfOneSlot_areTakenByOneCall_membersOfSeveralSlots_oneByOne() {
        RLock oneSlot = MultiLock.of(a.getLock("{cart}:items"), a.getLock("{cart}:total"), a.getLock("{cart}:coupon"));
        oneSlot.lock();
        oneSlot.unlock(); // loads the scripts
        RedisServer master = cluster.nodeFor("holdfast:{cart}:items");
        long before = scriptCalls(master);
        oneSlot.lock();
        assertThat(scriptCalls(master) - before).isEqualTo(1);
        assertThat(b.getLock("{cart}:total").isLocked()).isTrue();
        oneSlot.unlock();
        assertThat(b.getLock("{cart}:total").isLocked()).isFalse();

        List<String> names = cluster.namesOnEveryMaster("multi-", 1);
        RLock spread = MultiLock.of(names.stream().map(a::getLock).toArray(RLock[]::new));
        spread.lock();
        for (String name : names) {
            assertThat(b.getLock(name).isLocked()).as(name).isTrue();
        }
        spread.unlock();
        for (String name : names) {
            assertThat(b.getLock(name).isLocked()).as(name).isFalse();
        }
    }

    private static long scriptCalls(RedisServer node) {
        var stats = CommandStats.read(node.commands());
        return stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L);
    }

    private static List<String> channelsOn(RedisServer node) {
        return cluster.sharded() ? node.commands().pubsubShardChannels("holdfast:*")
                : node.commands().pubsubChannels("holdfast:*");
    }
}
