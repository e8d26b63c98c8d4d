package io.holdfast.it.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.it.ClusterTopology;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Connection names ({@code CLIENT SETNAME holdfast:<host>:<pid>:<id>}) on a Cluster: every node
 * connection a client uses carries the name, its command connection to each master and the
 * pub/sub connection a waiter listens on at a lock's master (sharded, or classic on Redis 6.2), also
 * after the server killed them
 * and Lettuce reconnected.
 */
@Tag("integration")
class ClusterClientIdentityTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void everyNodeConnection_isNamed_andNamedAgainAfterTheServerKilledIt() throws Exception {
        try (Holdfast holder = Holdfast.connect(HoldfastOptions.builder(cluster.uri()).build());
                Holdfast client = Holdfast.connect(HoldfastOptions.builder(cluster.uri()).build());
                OwnerThread waiter = new OwnerThread("waiter")) {
            String name = client.connectionName();
            List<String> names = cluster.namesOnEveryMaster("named:", 1);
            for (String lockName : names) {
                RLock lock = client.getLock(lockName);
                lock.lock();
                lock.unlock();
            }
            for (RedisServer master : cluster.group().masters()) {
                await().atMost(WAIT).until(() -> named(master, name).size() >= 1);
            }

            String contended = names.get(1);
            RedisServer master = cluster.nodeFor("holdfast:{" + contended + "}");
            holder.getLock(contended).lock();
            Future<Boolean> got = waiter.submit(() -> client.getLock(contended).tryLock(60, TimeUnit.SECONDS));
            await().atMost(WAIT).until(() -> master.commands().zcard("holdfast:{" + contended + "}:queue") == 1);
            // sharded pub/sub (7+) or classic (6.2): either way the waiter listens on the lock's master
            await("the pub/sub connection the waiter subscribed with on the lock's master is named").atMost(WAIT)
                    .until(() -> named(master, name).stream().anyMatch(ClusterClientIdentityTest::subscribes));

            List<String> killed = named(master, name).stream().map(l -> field(l, "id")).toList();
            for (String id : killed) {
                master.commands().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
            }
            await("every killed connection back (Lettuce reconnects them), named again").atMost(WAIT).until(() -> {
                List<String> now = named(master, name);
                return now.size() == killed.size() && now.stream().noneMatch(l -> killed.contains(field(l, "id")))
                        && now.stream().anyMatch(ClusterClientIdentityTest::subscribes);
            });
            assertThat(client.getLock(contended).isLocked()).as("a command to that master goes through").isTrue();
            holder.getLock(contended).unlock();
            assertThat(got.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("woken through the new connections").isTrue();
            waiter.run(() -> client.getLock(contended).unlock());
        }
    }

    private static List<String> named(RedisServer node, String name) {
        return node.commands().clientList().lines().filter(l -> field(l, "name").equals(name)).toList();
    }

    /** Whether a {@code CLIENT LIST} line is a connection with a channel subscribed (sharded or classic). */
    private static boolean subscribes(String clientListLine) {
        String ssub = field(clientListLine, "ssub"); // absent before Redis 7
        return !ssub.isEmpty() && !ssub.equals("0") || !field(clientListLine, "sub").equals("0");
    }

    private static String field(String clientListLine, String field) {
        for (String part : clientListLine.split(" ")) {
            if (part.startsWith(field + "=")) {
                return part.substring(field.length() + 1);
            }
        }
        return "";
    }
}
