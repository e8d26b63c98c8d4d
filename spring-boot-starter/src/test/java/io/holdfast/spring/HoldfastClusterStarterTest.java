package io.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.spring.boot.HoldfastAutoConfiguration;
import io.holdfast.spring.integration.HoldfastLockRegistry;
import io.holdfast.testkit.RedisClusterGroup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter on a Redis Cluster (3 masters, no replicas, started by the test): {@code holdfast.uri}
 * with a {@code redis-cluster://} URI is all it takes; the client's locks, the LockRegistry and the
 * health indicator work on locks spread over every master.
 */
@Tag("integration")
class HoldfastClusterStarterTest {

    private static RedisClusterGroup cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterGroup.builder().masters(3).replicasPerMaster(0).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClusterUri_inHoldfastUri_givesAClientAndARegistry_whoseLocksLiveOnEveryMaster() {
        String uri = cluster.uri().replaceFirst("^redis://", "redis-cluster://");
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
                .withPropertyValues("holdfast.uri=" + uri)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Holdfast.class).hasSingleBean(HoldfastLockRegistry.class);
                    Holdfast holdfast = context.getBean(Holdfast.class);
                    HoldfastLockRegistry registry = context.getBean(HoldfastLockRegistry.class);
                    Set<Integer> mastersUsed = new HashSet<>();
                    for (int i = 0; i < 12; i++) {
                        String name = "starter-cluster-" + i;
                        RLock lock = holdfast.getLock(name);
                        lock.lock();
                        try {
                            mastersUsed.add(holderMaster("holdfast:{" + name + "}"));
                        } finally {
                            lock.unlock();
                        }
                        Lock fromRegistry = registry.obtain("registry-" + i);
                        assertThat(fromRegistry.tryLock(5, TimeUnit.SECONDS)).as("registry lock " + i).isTrue();
                        fromRegistry.unlock();
                    }
                    assertThat(mastersUsed).as("the locks were held on every master").hasSize(3);
                    HealthIndicator health = context.getBean("holdfastHealthIndicator", HealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                });
    }

    /** Which master (index) has {@code key}; fails if none does. */
    private static int holderMaster(String key) {
        for (int m = 0; m < cluster.masters().size(); m++) {
            RedisClient client = RedisClient.create(cluster.masters().get(m).uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                if (c.sync().clusterCountKeysInSlot(RedisClusterGroup.slotOf(key)) > 0 && c.sync().exists(key) == 1) {
                    return m;
                }
            } finally {
                client.shutdown();
            }
        }
        throw new AssertionError(key + " is on no master");
    }
}
