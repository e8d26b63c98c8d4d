package io.holdfast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 16: the meters of {@link HoldfastMetrics}, recorded from a client's locks on a real Redis. */
@Tag("integration")
class HoldfastMetricsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final Duration PROMPT = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Holdfast client;
    private Holdfast other;

    private Holdfast connect(HoldfastMetrics metrics) {
        metrics.bindTo(registry);
        client = Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofMillis(600))
                .observer(metrics).build());
        other = Holdfast.connect(redis.uri());
        return client;
    }

    @AfterEach
    void close() {
        client.close();
        other.close();
    }

    private double gauge(String name, String kind) {
        return registry.get(name).tag("kind", kind).gauge().value();
    }

    private long timerCount(String name, String... tags) {
        return registry.find(name).tags(tags).timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }

    private double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void holdAndRelease_movesTheGauges_andRecordsWaitHoldAndRenewals() throws Exception {
        connect(HoldfastMetrics.create());
        RLock lock = client.getLock("orders:1");
        lock.lock();
        await().atMost(PROMPT).until(() -> gauge(HoldfastMetrics.HOLDS, "exclusive") == 1);
        await().atMost(PROMPT).until(() -> counter(HoldfastMetrics.RENEWALS, "result", "renewed") >= 1);

        // a second thread waits in vain, then one waits and gets it
        Thread waiter = new Thread(() -> {
            try {
                client.getLock("orders:1").tryLock(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        await().atMost(PROMPT).until(() -> gauge(HoldfastMetrics.WAITERS, "exclusive") == 1);
        waiter.join(5_000);
        lock.unlock();

        await().atMost(PROMPT).until(() -> timerCount(HoldfastMetrics.HELD, "kind", "exclusive") == 1);
        await().atMost(PROMPT).until(() -> timerCount(HoldfastMetrics.WAIT, "outcome", "timed_out") == 1);
        assertThat(gauge(HoldfastMetrics.HOLDS, "exclusive")).isZero();
        assertThat(gauge(HoldfastMetrics.WAITERS, "exclusive")).isZero();
        assertThat(timerCount(HoldfastMetrics.WAIT, "kind", "exclusive", "outcome", "acquired")).isEqualTo(1);
        assertThat(registry.get(HoldfastMetrics.HELD).timer().totalTime(TimeUnit.MILLISECONDS))
                .as("held across a renewal, which comes after half the lease").isGreaterThanOrEqualTo(300);
        assertThat(timerCount(HoldfastMetrics.RENEWAL_ROUND_TRIP)).isGreaterThanOrEqualTo(1);
        assertThat(registry.getMeters()).as("no lock names by default")
                .allSatisfy(m -> assertThat(m.getId().getTag("lock")).isNull());
    }

    @Test
    void lostHold_countedByCause_andTakenOffTheHoldsGauge() {
        connect(HoldfastMetrics.create());
        client.getLock("lost").lock();
        await().atMost(PROMPT).until(() -> gauge(HoldfastMetrics.HOLDS, "exclusive") == 1);
        redis.commands().del("holdfast:{lost}");

        await().atMost(PROMPT).until(() -> counter(HoldfastMetrics.LOST, "cause", "gone_from_server") == 1);
        await().atMost(PROMPT).until(() -> gauge(HoldfastMetrics.HOLDS, "exclusive") == 0);
        assertThat(counter(HoldfastMetrics.RENEWALS, "result", "gone")).isEqualTo(1);
    }

    @Test
    void fairHandOver_counted_withALockTagOnlyWhenAsked() throws Exception {
        connect(HoldfastMetrics.builder().lockNameTag(name -> name.substring(0, name.indexOf(':')))
                .tags(Tags.of("app", "test")).build());
        RLock held = other.getFairLock("jobs:7");
        held.lock();
        Thread waiter = new Thread(() -> {
            RLock lock = client.getFairLock("jobs:7");
            lock.lock();
            lock.unlock();
        });
        waiter.start();
        await().atMost(PROMPT).until(() -> gauge(HoldfastMetrics.WAITERS, "fair") == 1);
        await().atMost(PROMPT).until(() -> client.subscribedChannels() == 1);
        held.unlock();
        waiter.join(10_000);

        await().atMost(PROMPT).until(() -> counter(HoldfastMetrics.HANDOVERS, "kind", "fair", "lock", "jobs") == 1);
        await().atMost(PROMPT).until(() -> timerCount(HoldfastMetrics.HELD, "lock", "jobs") == 1);
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("test"));
        assertThat(registry.getMeters().stream().map(Meter::getId).filter(id -> id.getTag("lock") != null))
                .allSatisfy(id -> assertThat(id.getTag("lock")).isEqualTo("jobs"));
    }
}
