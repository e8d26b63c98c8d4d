package io.holdfast.it.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.RedisPermissionException;
import io.holdfast.RedisUnavailableException;
import io.holdfast.ReplicationException;
import io.holdfast.ReplicaAcknowledgement;
import io.holdfast.it.ClusterTopology;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.event.DefaultEventBus;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.EventBus;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Connecting to a Redis Cluster: the builder's seed list, the checks made at connect (channel
 * permission per pub/sub mode, replica acknowledgement refused), and a dead seed that does not
 * keep the client from the live ones; replica acknowledgement per shard.
 */
@Tag("integration")
class ClusterConnectTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Test
    void clusterBuilder_withADeadSeedBeforeALiveOne_connects_andLocksOnEveryMaster() {
        RedisServer live = cluster.firstMaster();
        HoldfastOptions options = HoldfastOptions.clusterBuilder("redis://127.0.0.1:1",
                "redis://" + live.host() + ":" + live.port()).build();
        assertThat(options.redisUri()).isEqualTo("redis-cluster://127.0.0.1:1," + live.host() + ":" + live.port());
        try (Holdfast holdfast = Holdfast.connect(options)) {
            for (String name : cluster.namesOnEveryMaster("seed-", 1)) {
                RLock lock = holdfast.getLock(name);
                assertThat(lock.tryLock()).isTrue();
                assertThat(cluster.nodeFor("holdfast:{" + name + "}").commands().exists("holdfast:{" + name + "}"))
                        .isEqualTo(1);
                lock.unlock();
            }
        }
    }

    @Test
    void clusterBuilder_refusesSeedsItCannotUse() {
        assertThatThrownBy(() -> HoldfastOptions.clusterBuilder()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HoldfastOptions.clusterBuilder("redis://h:1/2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a database");
        assertThatThrownBy(() -> HoldfastOptions.clusterBuilder("redis://a:b@h:1", "redis://h:2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same scheme and credentials");
    }

    @Test
    void noSeedAnswers_failsNamingTheSeeds() {
        assertThatThrownBy(() -> Holdfast.connect(HoldfastOptions.clusterBuilder("redis://127.0.0.1:1")
                .commandTimeout(Duration.ofSeconds(1)).build()))
                .isInstanceOf(RedisUnavailableException.class).hasMessageContaining("127.0.0.1:1");
    }

    /**
     * {@code WAIT} goes to the master of each lock's slot, after the hold was written there: a shard
     * whose replica is frozen gives its hold back ({@code REQUIRE}), the other shards are not
     * affected.
     */
    @Test
    void replicaAcknowledgement_isPerShard_aShardWhoseReplicaIsFrozenGivesItsHoldBack() {
        List<String> names = cluster.namesOnEveryMaster("ack-", 1);
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(cluster.uri())
                .replicaAcknowledgement(1, Duration.ofMillis(300), ReplicaAcknowledgement.Policy.REQUIRE).build())) {
            for (String name : names) {
                RLock lock = holdfast.getLock(name);
                lock.lock();
                lock.unlock();
            }
            String frozenKey = "holdfast:{" + names.get(0) + "}";
            RedisServer master = cluster.nodeFor(frozenKey);
            List<RedisServer> replicas = cluster.group().replicasOf(master);
            assertThat(replicas).hasSize(1);
            replicas.get(0).pause();
            try {
                assertThatThrownBy(() -> holdfast.getLock(names.get(0)).lock())
                        .isInstanceOf(ReplicationException.class)
                        .satisfies(e -> assertThat(((ReplicationException) e).acknowledged()).isZero());
                assertThat(master.commands().exists(frozenKey)).as("the hold was given back").isZero();
                RLock other = holdfast.getLock(names.get(1));
                other.lock(); // another shard, whose replica answers
                other.unlock();
            } finally {
                replicas.get(0).resume();
            }
            RLock again = holdfast.getLock(names.get(0));
            again.lock();
            again.unlock();
        }
    }

    @Test
    void connect_asAnAclUserWithoutChannelPermission_failsNamingTheShardedCommand() {
        List<RedisServer> nodes = cluster.group().servers();
        for (RedisServer node : nodes) {
            node.commands().aclSetuser("nochannels", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .allKeys().allCommands().resetChannels());
        }
        try {
            String uri = "redis-cluster://nochannels:s3cret@" + cluster.firstMaster().host() + ":"
                    + cluster.firstMaster().port();
            String command = cluster.sharded() ? "SPUBLISH" : "PUBLISH";
            assertThatThrownBy(() -> Holdfast.connect(HoldfastOptions.builder(uri).keyPrefix("app:locks:").build()))
                    .isInstanceOf(RedisPermissionException.class)
                    .hasMessageContaining("nochannels")
                    .hasMessageContaining(" may not " + command + " ")
                    .hasMessageContaining("&app:locks:*");
        } finally {
            nodes.forEach(n -> n.commands().aclDeluser("nochannels"));
        }
    }

    /**
     * A Cluster client follows slot moves by listening to the event bus of its Lettuce resources.
     * With resources shared with the application, {@link Holdfast#close()} must stop listening:
     * left subscribed, every closed client stays referenced by the bus and runs on every topology
     * change for as long as the resources live.
     */
    @Test
    void givenClientResources_closeLeavesNoListenerOnTheirEventBus() throws Exception {
        CountingEventBus bus = new CountingEventBus();
        ClientResources resources = DefaultClientResources.builder().eventBus(bus).build();
        try {
            int before = bus.listeners.get();
            for (int i = 0; i < 3; i++) {
                try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(cluster.uri())
                        .clientResources(resources).build())) {
                    RLock lock = holdfast.getLock("bus-" + i);
                    lock.lock();
                    lock.unlock();
                    assertThat(bus.listeners.get()).as("the open client follows the topology").isGreaterThan(before);
                }
                assertThat(bus.listeners.get()).as("listeners left after client %d closed", i + 1).isEqualTo(before);
            }
            // a connect that fails after the Cluster answered (here: no channel permission) keeps nothing either
            List<RedisServer> nodes = cluster.group().servers();
            nodes.forEach(node -> node.commands().aclSetuser("nobus", AclSetuserArgs.Builder.on()
                    .addPassword("s3cret").allKeys().allCommands().resetChannels()));
            try {
                String uri = "redis-cluster://nobus:s3cret@" + cluster.firstMaster().host() + ":"
                        + cluster.firstMaster().port();
                assertThatThrownBy(() -> Holdfast.connect(HoldfastOptions.builder(uri).clientResources(resources).build()))
                        .isInstanceOf(RedisPermissionException.class);
                assertThat(bus.listeners.get()).as("listeners left after a failed connect").isEqualTo(before);
            } finally {
                nodes.forEach(n -> n.commands().aclDeluser("nobus"));
            }
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get();
        }
    }

    /** Lettuce's own event bus, counting its live subscribers. */
    private static final class CountingEventBus implements EventBus {
        final AtomicInteger listeners = new AtomicInteger();
        private final EventBus delegate = new DefaultEventBus(Schedulers.boundedElastic());

        @Override
        public Flux<Event> get() {
            return delegate.get().doOnSubscribe(s -> listeners.incrementAndGet())
                    .doFinally(signal -> listeners.decrementAndGet());
        }

        @Override
        public void publish(Event event) {
            delegate.publish(event);
        }
    }
}
