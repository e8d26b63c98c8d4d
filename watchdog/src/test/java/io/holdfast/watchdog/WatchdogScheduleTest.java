package io.holdfast.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Script;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watchdog's schedule on a test clock ({@link StepTimer}), renewing real lock hashes on a real
 * server: when each item is renewed, how renewals of many items spread, and the second renewal of
 * an item whose script changed while its batch was on the wire. The clock only moves when the test
 * moves it, and the test waits for every reply before moving it again, so nothing here depends on
 * how fast the machine is.
 */
@Tag("integration")
class WatchdogScheduleTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    /** Long in real time (the server's TTLs must outlive the test), short on the test clock. */
    private static final long LEASE_MS = 30_000;
    private static final long LEASE_NS = TimeUnit.MILLISECONDS.toNanos(LEASE_MS);
    private static final long PERIOD_NS = LEASE_NS / Watchdog.SWEEPS_PER_LEASE;

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StepTimer timer;
    private TrackingSender sender;
    private Watchdog watchdog;

    @BeforeEach
    void start() {
        client = RedisClient.create(redis.uri());
        connection = client.connect();
        timer = new StepTimer();
        sender = new TrackingSender(new RedisGateway(connection.async(), "test"), timer.clock::get);
        watchdog = new Watchdog(timer, sender, key -> 0, timer.clock::get);
    }

    @AfterEach
    void stop() {
        watchdog.close();
        connection.close();
        client.shutdown();
    }

    @Test
    void manyItems_eachRenewedAfterHalfAndBefore7TwelfthsOfItsLease() {
        List<TestItem> items = holds(3_000, LEASE_MS);
        items.forEach(watchdog::register);

        run(8 * LEASE_NS);

        for (TestItem item : items) {
            assertThat(item.gone).as("%s reported gone", item.key).hasValue(0);
            assertThat(item.renewals.get()).as("renewals of %s", item.key).isGreaterThanOrEqualTo(13);
            assertThat(item.longestGapNanos).as("longest gap between renewals of %s", item.key)
                    .isLessThanOrEqualTo(LEASE_NS * 7 / 12);
            assertThat(item.shortestGapNanos).as("shortest gap between renewals of %s", item.key)
                    .isGreaterThanOrEqualTo(LEASE_NS * 5 / 12);
        }
        Long held = redis.commands().eval("local n = 0 for _, k in ipairs(redis.call('KEYS', 'lock:*')) do"
                + " if redis.call('PTTL', k) > 0 then n = n + 1 end end return n", ScriptOutputType.INTEGER);
        assertThat(held).as("keys still held on the server").isEqualTo(3_000L);
    }

    @Test
    void itemsTakenAtOnce_haveTheirRenewalsSpreadOverTheLease() {
        int n = 4_000;
        List<TestItem> items = holds(n, LEASE_MS);
        items.forEach(watchdog::register);

        run(LEASE_NS);
        int firstBurst = largestSweep(0, LEASE_NS);
        run(12 * LEASE_NS);
        int lastLease = largestSweep(12 * LEASE_NS, 13 * LEASE_NS);

        assertThat(firstBurst).as("renewals of the largest sweep in the first lease").isGreaterThan(n / 2);
        assertThat(lastLease).as("renewals of the largest sweep in the 13th lease").isLessThanOrEqualTo(n / 4);
        assertThat(items).allSatisfy(i -> assertThat(i.longestGapNanos).isLessThanOrEqualTo(LEASE_NS * 7 / 12));
    }

    /**
     * The item's script changes between the moment a sweep picked a batch's script and the reply
     * (a re-entry with a longer lease raced the sweep, and its reply came first): the watchdog
     * renews it again with the new script, to the longer deadline, undoing the plain renewal's cut.
     */
    @Test
    void scriptChangedWhileRenewing_isRenewedAgainToItsLongerDeadline() {
        AtomicInteger asked = new AtomicInteger();
        TestItem item = new TestItem("lock:raced", "h", LEASE_MS, -LEASE_NS * 2 / 3) {
            @Override
            public Script renewScript() {
                if (asked.getAndIncrement() == 0) {
                    return PLAIN;
                }
                validUntilNanos = Math.max(validUntilNanos, timer.clock.get() + TimeUnit.SECONDS.toNanos(120));
                return GUARDED;
            }
        };
        redis.commands().hset(item.key, item.holder, "2");
        redis.commands().pexpire(item.key, 120_000); // what the re-entry set on the server
        watchdog.register(item);

        run(PERIOD_NS);

        assertThat(item.renewals).as("renewed by the batch, then again").hasValue(2);
        assertThat(redis.commands().pttl(item.key)).as("lease after both renewals").isGreaterThan(100_000L);
        assertThat(item.gone).hasValue(0);
    }

    /** Real lock hashes of one field each, and items for them registered at clock 0. */
    private List<TestItem> holds(int n, long leaseMillis) {
        redis.commands().eval("for i = 1, tonumber(ARGV[1]) do local k = 'lock:' .. i"
                + " redis.call('HSET', k, 'holder', 1) redis.call('PEXPIRE', k, ARGV[2]) end return 1",
                ScriptOutputType.INTEGER, new String[0], Integer.toString(n), Long.toString(leaseMillis));
        List<TestItem> items = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            items.add(new TestItem("lock:" + i, "holder", leaseMillis, timer.clock.get()));
        }
        return items;
    }

    /** Moves the clock on by {@code nanos} in quarters of a sweep period, waiting for every reply at each step. */
    private void run(long nanos) {
        long end = timer.clock.get() + nanos;
        for (long t = timer.clock.get() + PERIOD_NS / 4; t <= end; t += PERIOD_NS / 4) {
            timer.advanceTo(t);
            if (sender.pending.get() > 0) {
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                        .until(() -> sender.pending.get() == 0);
            }
        }
    }

    private int largestSweep(long fromNanos, long toNanos) {
        return sender.sentAt.entrySet().stream().filter(e -> e.getKey() >= fromNanos && e.getKey() < toNanos)
                .mapToInt(Map.Entry::getValue).max().orElse(0);
    }
}
