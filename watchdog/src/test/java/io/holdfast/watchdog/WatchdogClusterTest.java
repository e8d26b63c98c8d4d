package io.holdfast.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import io.holdfast.testkit.RedisClusterGroup;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The watchdog on a real Redis Cluster (3 masters): leases of locks in many slots over every master
 * are renewed by one script call per slot and sweep, each call's keys in one slot (a call that
 * spanned slots would fail with CROSSSLOT and its leases would be reported gone), on a test clock.
 */
@Tag("integration")
class WatchdogClusterTest {

    private static final long LEASE_MS = 30_000;
    private static final long LEASE_NS = TimeUnit.MILLISECONDS.toNanos(LEASE_MS);
    private static final long PERIOD_NS = LEASE_NS / Watchdog.SWEEPS_PER_LEASE;
    private static final int TAGS = 20;
    private static final int PER_TAG = 30;

    private static RedisClusterGroup cluster;
    private static RedisClusterClient client;
    private static StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void start() {
        cluster = RedisClusterGroup.builder().replicasPerMaster(0).start();
        client = RedisClusterClient.create(cluster.seedUris());
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        client.shutdown();
        cluster.close();
    }

    @Test
    void leasesInManySlots_areRenewedByOneCallPerSlotAndSweep_neverAcrossSlots() {
        StepTimer timer = new StepTimer();
        RedisGateway gateway = new RedisGateway(connection.async(), "cluster", new AtomicLong(), new Slots(), false);
        SlotTracking sender = new SlotTracking(gateway, timer);
        Watchdog watchdog = new Watchdog(timer, sender, gateway::slotOf, timer.clock::get);
        List<TestItem> items = new ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        for (int t = 0; t < TAGS; t++) {
            for (int i = 0; i < PER_TAG; i++) {
                String key = "lock:{t" + t + "}:" + i;
                connection.sync().hset(key, "holder", "1");
                connection.sync().pexpire(key, LEASE_MS);
                items.add(new TestItem(key, "holder", LEASE_MS, timer.clock.get()));
                slots.add(SlotHash.getSlot(key));
            }
        }
        Set<String> mastersUsed = new HashSet<>();
        slots.forEach(s -> mastersUsed.add(cluster.nodeForSlot(s).toString()));
        assertThat(mastersUsed).as("the locks' masters").hasSize(3);
        items.forEach(watchdog::register);

        for (long at = PERIOD_NS / 4; at <= 3 * LEASE_NS; at += PERIOD_NS / 4) {
            timer.advanceTo(at);
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                    .until(() -> sender.pending.get() == 0);
        }
        watchdog.close();

        assertThat(sender.crossSlotCalls).as("calls whose keys span slots").hasValue(0);
        assertThat(items).allSatisfy(i -> {
            assertThat(i.gone).as("%s reported gone", i.key).hasValue(0);
            assertThat(i.renewals.get()).as("renewals of %s", i.key).isGreaterThanOrEqualTo(4);
        });
        sender.callsPerSlotAndInstant.forEach((slotAt, calls) -> assertThat(calls)
                .as("calls for slot and instant %s", slotAt).isEqualTo(1));
        long renewals = items.stream().mapToLong(i -> i.renewals.get()).sum();
        long calls = sender.calls.get();
        System.out.printf("cluster watchdog: %d renewals of %d leases in %d slots by %d script calls%n",
                renewals, items.size(), slots.size(), calls);
        assertThat(calls).as("script calls: one per slot and sweep, not one per lease").isLessThan(renewals / 4);
    }

    /** Records each call's slots; one call per slot and clock instant is the batching claimed. */
    private static final class SlotTracking extends TrackingSender {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong crossSlotCalls = new AtomicLong();
        final Map<String, Integer> callsPerSlotAndInstant = new ConcurrentHashMap<>();
        private final StepTimer timer;

        SlotTracking(RedisGateway redis, StepTimer timer) {
            super(redis, timer.clock::get);
            this.timer = timer;
        }

        @Override
        CompletableFuture<boolean[]> send(Script script, long leaseMillis, List<Renewable> batch) {
            calls.incrementAndGet();
            Set<Integer> slots = new HashSet<>();
            batch.forEach(item -> item.renewKeys().forEach(k -> slots.add(SlotHash.getSlot(k))));
            if (slots.size() > 1) {
                crossSlotCalls.incrementAndGet();
            }
            callsPerSlotAndInstant.merge(slots.iterator().next() + "@" + timer.clock.get(), 1, Integer::sum);
            return super.send(script, leaseMillis, batch);
        }
    }

    /** Slots as on a Cluster; no server identity needed here. */
    private static final class Slots implements RedisGateway.Servers {
        @Override
        public String nodeOf(String key) {
            return "";
        }

        @Override
        public CompletionStage<String> infoServer(String node) {
            return CompletableFuture.completedFuture("");
        }

        @Override
        public int slotOf(String key) {
            return SlotHash.getSlot(key);
        }

        @Override
        public CompletionStage<Long> waitForReplicas(String key, int replicas, long timeoutMillis) {
            throw new UnsupportedOperationException("no WAIT in this test");
        }
    }
}
