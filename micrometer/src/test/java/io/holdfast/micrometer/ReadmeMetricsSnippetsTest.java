package io.holdfast.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's Micrometer snippet ({@link ReadmeMetricsSnippets}), run against a real redis-server. */
@Tag("integration")
class ReadmeMetricsSnippetsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void snippet_tagsTimersWithThePartOfTheNameBeforeTheColon() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Holdfast holdfast = new ReadmeMetricsSnippets().connect(redis.uri(), registry)) {
            for (String name : new String[] {"orders:1", "orders:2", "plain"}) {
                RLock lock = holdfast.getLock(name);
                lock.lock();
                lock.unlock();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(HoldfastMetrics.HELD).timers().stream()
                    .mapToLong(io.micrometer.core.instrument.Timer::count).sum() == 3);
            assertThat(registry.get(HoldfastMetrics.HELD).tag("lock", "orders").timer().count()).isEqualTo(2);
            assertThat(registry.get(HoldfastMetrics.HELD).tag("lock", "other").timer().count()).isEqualTo(1);
            assertThat(registry.get(HoldfastMetrics.WAIT).tags("lock", "orders", "outcome", "acquired").timer().count())
                    .isEqualTo(2);
        }
    }
}
