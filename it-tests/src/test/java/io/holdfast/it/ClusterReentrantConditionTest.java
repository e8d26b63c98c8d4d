package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The condition contract of {@link Holdfast#getLock} on a Redis Cluster (3 masters, a replica each),
 * and conditions of locks on every master at once: each signal reaches its waiter by sharded
 * pub/sub on the master of the lock's slot (Redis 7+), none by classic pub/sub.
 */
@Tag("integration")
class ClusterReentrantConditionTest extends ConditionContract {

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

    @Test
    void conditionsOfLocksOnEveryMaster_areSignalledFromAnotherClient_byShardedPubSubOnTheirOwnMaster()
            throws Exception {
        List<String> names = cluster.namesOnEveryMaster("cond:", 2);
        List<OwnerThread> threads = new ArrayList<>();
        List<Future<Boolean>> awaiting = new ArrayList<>();
        try {
            for (String name : names) {
                OwnerThread t = new OwnerThread("await-" + name);
                threads.add(t);
                RLock lock = lockOf(a, name);
                awaiting.add(t.submit(() -> {
                    lock.lock();
                    try {
                        return lock.newCondition("ready").await(60, TimeUnit.SECONDS);
                    } finally {
                        lock.unlock();
                    }
                }));
            }
            for (String name : names) {
                await().atMost(WAIT).until(() -> on(name).zcard("holdfast:{" + name + "}:condition:ready") == 1);
            }
            if (cluster.sharded()) {
                for (String name : names) {
                    assertThat(cluster.nodeFor("holdfast:{" + name + "}").commands().pubsubShardChannels("holdfast:*"))
                            .as("the waiter of %s listens on its lock's master", name)
                            .anyMatch(c -> c.contains("{" + name + "}"));
                }
            }
            Map<RedisServer, Map<String, Long>> before = new HashMap<>();
            cluster.group().servers().forEach(n -> before.put(n, CommandStats.read(n.commands())));

            for (String name : names) {
                RLock lock = lockOf(b, name);
                lock.lock();
                try {
                    lock.newCondition("ready").signal();
                } finally {
                    lock.unlock();
                }
            }
            for (Future<Boolean> f : awaiting) {
                assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("signalled, not timed out").isTrue();
            }
            for (RedisServer node : cluster.group().servers()) {
                Map<String, Long> delta = CommandStats.delta(before.get(node), CommandStats.read(node.commands()));
                if (cluster.sharded()) {
                    assertThat(delta).as("no classic pub/sub on %s", node).doesNotContainKey("publish");
                }
            }
            if (cluster.sharded()) {
                for (RedisServer master : cluster.group().masters()) {
                    Map<String, Long> delta = CommandStats.delta(before.get(master), CommandStats.read(master.commands()));
                    assertThat(delta.getOrDefault("spublish", 0L)).as("wake-ups published on %s", master).isPositive();
                }
            }
        } finally {
            for (OwnerThread t : threads) {
                t.close();
            }
        }
    }
}
