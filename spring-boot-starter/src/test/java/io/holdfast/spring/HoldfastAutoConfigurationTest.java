package io.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.ReplicaAcknowledgement;
import io.holdfast.micrometer.HoldfastMetrics;
import io.holdfast.spring.boot.HoldfastAutoConfiguration;
import io.holdfast.spring.boot.HoldfastHealthIndicator;
import io.holdfast.spring.boot.HoldfastOptionsCustomizer;
import io.holdfast.spring.integration.HoldfastLockRegistry;
import io.holdfast.testkit.RedisServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Issue 16: the starter's auto-configuration in a real Spring context, against a real redis-server
 * started by the test (no mocks).
 */
@Tag("integration")
class HoldfastAutoConfigurationTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final Duration PROMPT = Duration.ofSeconds(5);

    private ApplicationContextRunner runner;

    @BeforeEach
    void runner() {
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
                .withPropertyValues("holdfast.uri=" + redis.uri());
    }

    @Test
    void properties_makeTheClient_whoseLocksUseThem_andTheContextClosesIt() {
        Holdfast[] seen = new Holdfast[1];
        runner.withPropertyValues("holdfast.key-prefix=app:", "holdfast.watchdog-lease=2s",
                "holdfast.fair-waiter-timeout=1500ms", "holdfast.command-timeout=3s", "holdfast.lock-cache-size=50",
                "holdfast.replica-acknowledgement.replicas=1", "holdfast.replica-acknowledgement.timeout=50ms",
                "holdfast.replica-acknowledgement.policy=warn").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Holdfast.class).hasSingleBean(HoldfastOptions.class);
                    HoldfastOptions options = context.getBean(HoldfastOptions.class);
                    assertThat(options.watchdogLease()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(options.fairWaiterTimeout()).isEqualTo(Duration.ofMillis(1500));
                    assertThat(options.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(options.lockCacheSize()).isEqualTo(50);
                    assertThat(options.replicaAcknowledgement()).contains(
                            new ReplicaAcknowledgement(1, Duration.ofMillis(50), ReplicaAcknowledgement.Policy.WARN));
                    Holdfast holdfast = context.getBean(Holdfast.class);
                    seen[0] = holdfast;
                    RLock lock = holdfast.getLock("orders:1");
                    lock.lock();
                    try {
                        assertThat(redis.commands().exists("app:{orders:1}")).isEqualTo(1);
                        assertThat(redis.commands().pttl("app:{orders:1}")).isBetween(1L, 2_000L);
                    } finally {
                        lock.unlock();
                    }
                });
        assertThatThrownBy(() -> seen[0].getLock("after")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void sentinelUri_connectsThroughTheSentinels() {
        try (io.holdfast.testkit.RedisSentinelGroup group = io.holdfast.testkit.RedisSentinelGroup.builder()
                .replicas(0).sentinels(1, 1).start()) {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
                    .withPropertyValues("holdfast.uri=" + group.uri()).run(context -> {
                        assertThat(group.uri()).startsWith("redis-sentinel://");
                        assertThat(context).hasNotFailed();
                        RLock lock = context.getBean(Holdfast.class).getLock("through-sentinel");
                        lock.lock();
                        try {
                            assertThat(group.currentMaster().commands().exists("holdfast:{through-sentinel}")).isEqualTo(1);
                        } finally {
                            lock.unlock();
                        }
                    });
        }
    }

    @Test
    void invalidProperty_failsTheStart_withTheBuildersMessage() {
        runner.withPropertyValues("holdfast.watchdog-lease=10ms").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("watchdogLease must be at least 300 ms");
        });
    }

    @Test
    void unreachableRedis_failsTheStart_namingTheEndpoint() {
        runner.withPropertyValues("holdfast.uri=redis://127.0.0.1:1", "holdfast.command-timeout=500ms").run(context -> {
            assertThat(context).hasFailed();
            Throwable e = context.getStartupFailure();
            while (e != null && !(e instanceof RedisUnavailableException)) {
                e = e.getCause();
            }
            assertThat(e).as("a RedisUnavailableException among the causes of " + context.getStartupFailure())
                    .isNotNull().hasMessageContaining("127.0.0.1:1");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean(destroyMethod = "close")
        Holdfast myHoldfast() {
            return Holdfast.connect(HoldfastOptions.builder(redis.uri()).keyPrefix("mine:").build());
        }
    }

    @Test
    void applicationsOwnClient_replacesTheAutoConfiguredOne() {
        runner.withUserConfiguration(OwnClient.class).run(context -> {
            assertThat(context).hasSingleBean(Holdfast.class);
            assertThat(context).hasBean("myHoldfast").doesNotHaveBean("holdfast");
            assertThat(context).hasSingleBean(HoldfastLockRegistry.class).hasSingleBean(HoldfastHealthIndicator.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnOptions {
        @Bean
        HoldfastOptions myOptions() {
            return HoldfastOptions.builder(redis.uri()).keyPrefix("own-options:").build();
        }
    }

    @Test
    void applicationsOwnOptions_areTheOnesTheClientIsMadeWith() {
        runner.withUserConfiguration(OwnOptions.class).withPropertyValues("holdfast.key-prefix=ignored:").run(context -> {
            assertThat(context).hasSingleBean(HoldfastOptions.class).hasBean("myOptions");
            RLock lock = context.getBean(Holdfast.class).getLock("own");
            lock.lock();
            try {
                assertThat(redis.commands().exists("own-options:{own}")).isEqualTo(1);
            } finally {
                lock.unlock();
            }
        });
    }

    /** Records the events an observer bean is told. */
    static final class Recorder implements HoldfastObserver {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
            events.add(lockName + " " + outcome);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ObserverAndCustomizer {
        @Bean
        Recorder recorder() {
            return new Recorder();
        }

        @Bean
        HoldfastOptionsCustomizer shortLease() {
            return builder -> builder.watchdogLease(Duration.ofSeconds(1));
        }
    }

    @Test
    void observerBeans_areTold_andCustomizers_changeTheOptions() {
        runner.withUserConfiguration(ObserverAndCustomizer.class).run(context -> {
            assertThat(context.getBean(HoldfastOptions.class).watchdogLease()).isEqualTo(Duration.ofSeconds(1));
            RLock lock = context.getBean(Holdfast.class).getLock("observed");
            lock.lock();
            lock.unlock();
            Recorder recorder = context.getBean(Recorder.class);
            await().atMost(PROMPT).until(() -> recorder.events.contains("observed ACQUIRED"));
        });
    }

    @Test
    void healthIndicator_upWithDetails_countsLostLeases_andDownWhenRedisIsGone() {
        runner.withPropertyValues("holdfast.watchdog-lease=600ms", "holdfast.command-timeout=500ms").run(context -> {
            HealthIndicator indicator = context.getBean("holdfastHealthIndicator", HealthIndicator.class);
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("pubSubConnected", true).containsEntry("leasesLostRecently", 0)
                    .containsKey("redisRoundTripMillis");

            context.getBean(Holdfast.class).getLock("lost").lock();
            redis.commands().del("holdfast:{lost}");
            await().atMost(PROMPT).until(() -> indicator.health().getDetails().get("leasesLostRecently").equals(1));
            Health afterLoss = indicator.health();
            assertThat(afterLoss.getStatus()).isEqualTo(Status.UP);
            assertThat(afterLoss.getDetails()).containsEntry("latestLostLease", "lock 'lost' (GONE_FROM_SERVER)");

            redis.server().stop();
            Holdfast holdfast = context.getBean(Holdfast.class);
            await().atMost(PROMPT).until(() -> !holdfast.isPubSubConnected());
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("pubSubConnected", false).containsKey("error");
        });
    }

    @Test
    void healthIndicator_offByProperty() {
        runner.withPropertyValues("management.health.holdfast.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(HoldfastHealthIndicator.class));
    }

    @Test
    void metrics_boundToTheApplicationsRegistry_bySpringBootsMetricsSupport() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class)).run(context -> {
                    assertThat(context).hasSingleBean(HoldfastMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    RLock lock = context.getBean(Holdfast.class).getLock("metered");
                    lock.lock();
                    lock.unlock();
                    await().atMost(PROMPT).until(() -> registry.find(HoldfastMetrics.HELD).tag("kind", "exclusive")
                            .timer() != null && registry.get(HoldfastMetrics.HELD).timer().count() == 1);
                    assertThat(registry.get(HoldfastMetrics.WAIT).tag("outcome", "acquired").timer().count()).isEqualTo(1);
                    assertThat(registry.get(HoldfastMetrics.HOLDS).tag("kind", "fair").gauge().value()).isZero();
                });
    }

    @Test
    void metrics_offByProperty() {
        runner.withPropertyValues("holdfast.metrics.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(HoldfastMetrics.class));
    }

    @Test
    void withoutMicrometerActuatorOrSpringIntegration_onlyTheClient() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, HealthIndicator.class, LockRegistry.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Holdfast.class);
                    assertThat(context).doesNotHaveBean(HoldfastMetrics.class)
                            .doesNotHaveBean(HoldfastHealthIndicator.class).doesNotHaveBean(HoldfastLockRegistry.class)
                            .doesNotHaveBean(HoldfastObserver.class);
                    assertThat(context.getBean(HoldfastOptions.class).observer()).as("no event is queued")
                            .isSameAs(HoldfastObserver.NONE);
                });
    }

    @Test
    void lockRegistry_fairByProperty() {
        runner.withPropertyValues("holdfast.lock-registry.fair=true").run(context -> {
            LockRegistry registry = context.getBean(LockRegistry.class);
            assertThat(registry).isInstanceOf(HoldfastLockRegistry.class).hasToString(
                    "HoldfastLockRegistry[fair locks of client " + context.getBean(Holdfast.class).clientId() + "]");
            assertThat(registry.obtain("fair-one")).isSameAs(context.getBean(Holdfast.class).getFairLock("fair-one"));
        });
    }
}
