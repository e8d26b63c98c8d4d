package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockInspector;
import io.holdfast.LockState;
import io.holdfast.RLock;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LockInspector} on a Redis Cluster (3 masters, a replica each): each lock read on the
 * master of its slot, a scan visiting every master, and still only read commands reaching any
 * master.
 */
@Tag("integration")
class ClusterLockInspectorTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    private static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * What may reach a master while the inspector reads: its reads, and the read commands of the
     * Holdfast clients' periodic topology refresh (CLUSTER NODES, INFO, CLIENT LIST).
     */
    private static final Set<String> READS = Set.of("type", "hgetall", "pttl", "get", "time", "zrange", "zscore",
            "hexists", "hget", "scan", "client|list", "info", "cluster|nodes");

    private static Holdfast client() {
        return Holdfast.connect(HoldfastOptions.builder(cluster.uri()).build());
    }

    @Test
    void locksOnEveryMaster_areEachReadOnTheirMaster_foundByAScanOfEveryMaster_withReadCommandsOnly()
            throws Exception {
        List<String> names = cluster.namesOnEveryMaster("inspect:", 1);
        try (Holdfast a = client(); Holdfast b = client(); OwnerThread waiter = new OwnerThread("waiter");
                LockInspector inspector = LockInspector.connect(HoldfastOptions.builder(cluster.uri()).build())) {
            for (String name : names) {
                a.getLock(name).lock();
            }
            a.getReadWriteLock("inspect:rw").readLock().lock();
            String contended = names.get(2);
            Future<Boolean> queued = waiter.submit(() -> b.getLock(contended).tryLock(60, TimeUnit.SECONDS));
            RedisServer third = cluster.nodeFor("holdfast:{" + contended + "}");
            await().atMost(WAIT).until(() -> third.commands().zcard("holdfast:{" + contended + "}:queue") == 1);
            inspector.scan("*", 100); // opens its connection to every master before counting

            Map<RedisServer, Map<String, Long>> before = new HashMap<>();
            cluster.group().masters().forEach(m -> before.put(m, CommandStats.read(m.commands())));
            List<LockState> found = inspector.scan("inspect:*", 100);
            Map<String, LockState> read = new HashMap<>();
            for (String name : names) {
                read.put(name, inspector.inspect(name).orElseThrow());
            }
            for (RedisServer master : cluster.group().masters()) {
                Map<String, Long> delta = CommandStats.delta(before.get(master), CommandStats.read(master.commands()));
                assertThat(delta.keySet()).as("read commands only on %s: %s", master, delta)
                    .isSubsetOf(CommandStats.asCounted(master.commands(), READS));
                assertThat(delta).as("every master scanned: %s", master).containsKey("scan");
            }

            assertThat(found).extracting(LockState::name).containsExactlyInAnyOrder(
                    names.get(0), names.get(1), names.get(2), "inspect:rw");
            for (String name : names) {
                assertThat(read.get(name).holders()).as(name).singleElement().satisfies(h -> {
                    assertThat(h.holderId()).isEqualTo(a.clientId() + ":" + Thread.currentThread().getId());
                    assertThat(h.process().pid()).isEqualTo(ProcessHandle.current().pid());
                    assertThat(h.process().connections()).as("on the lock's own master").isPositive();
                });
                assertThat(read.get(name).leaseRemainingMillis()).isPositive();
            }
            assertThat(read.get(contended).waiters()).singleElement().satisfies(w ->
                    assertThat(w.holderId()).isEqualTo(b.clientId() + ":" + waiter.threadId()));
            assertThat(found.stream().filter(s -> s.name().equals("inspect:rw")).findFirst().orElseThrow().mode())
                    .isEqualTo("read");
            queued.cancel(true); // interrupts the waiter: it leaves the queue, nothing held
        }
    }

    @Test
    void theClientsOwnInspector_onACluster_listsTheConditionWaitersOfALockOnAnyMaster() throws Exception {
        List<String> names = cluster.namesOnEveryMaster("jobs:", 1);
        try (Holdfast a = client(); OwnerThread w0 = new OwnerThread("w0"); OwnerThread w1 = new OwnerThread("w1");
                OwnerThread w2 = new OwnerThread("w2")) {
            List<OwnerThread> waiters = List.of(w0, w1, w2);
            List<Future<Boolean>> awaiting = new java.util.ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                RLock lock = a.getLock(names.get(i));
                awaiting.add(waiters.get(i).submit(() -> awaitReady(lock)));
            }
            for (String name : names) {
                RedisServer master = cluster.nodeFor("holdfast:{" + name + "}");
                await().atMost(WAIT).until(() -> master.commands().zcard("holdfast:{" + name + "}:condition:ready") == 1
                        && master.commands().exists("holdfast:{" + name + "}") == 0);
            }

            LockInspector inspector = a.inspector();
            for (int i = 0; i < names.size(); i++) {
                LockState state = inspector.inspect(names.get(i)).orElseThrow();
                long thread = waiters.get(i).threadId();
                assertThat(state.kind()).isEqualTo("free");
                assertThat(state.conditions()).as(names.get(i)).singleElement().satisfies(c -> {
                    assertThat(c.name()).isEqualTo("ready");
                    assertThat(c.waiters()).singleElement().satisfies(w -> assertThat(w.holderId())
                            .startsWith(a.clientId() + ":" + thread + ":"));
                });
            }
            assertThat(inspector.scan("*", 100)).as("a free lock's conditions are found by name, not by a scan")
                    .isEmpty();
            for (String name : names) {
                RLock lock = a.getLock(name);
                lock.lock();
                try {
                    lock.newCondition("ready").signalAll();
                } finally {
                    lock.unlock();
                }
            }
            for (Future<Boolean> f : awaiting) {
                assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            }
            inspector.close();
            assertThat(a.getLock(names.get(0)).tryLock()).as("the client's connection stays open").isTrue();
            a.getLock(names.get(0)).unlock();
        }
    }

    private static boolean awaitReady(RLock lock) throws InterruptedException {
        lock.lock();
        try {
            return lock.newCondition("ready").await(60, TimeUnit.SECONDS);
        } finally {
            lock.unlock();
        }
    }
}
