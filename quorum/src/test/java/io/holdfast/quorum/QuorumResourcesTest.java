package io.holdfast.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.RLock;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Lettuce resources of a quorum client that connects its masters itself: one event loop group
 * for all of them (not one per master), shut down at its close; a user's own resources given
 * through {@code masterOptions} are used and left running.
 */
@Tag("integration")
class QuorumResourcesTest {

    @RegisterExtension
    static final FiveMasters masters = new FiveMasters(3);

    /** Netty's thread names: {@code lettuce-<type>EventLoop-<pool>-<thread>}, one pool per group. */
    private static final Pattern EVENT_LOOP = Pattern.compile("lettuce-\\w*EventLoop-(\\d+)-\\d+");

    @Test
    void theMastersClients_shareOneEventLoopGroup_shutDownAtClose() {
        Set<String> before = eventLoopPools();
        QuorumHoldfast quorum = QuorumHoldfast.builder(masters.uris()).watchdogLease(Duration.ofSeconds(2)).build();
        Set<String> pools;
        try {
            RLock lock = quorum.getQuorumLock("resources");
            lock.lock(); // a command on every master: each connection's event loop has a thread
            lock.unlock();
            pools = eventLoopPools();
            pools.removeAll(before);
            assertThat(pools).as("event loop groups of the three masters' clients").hasSize(1);
        } finally {
            quorum.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> eventLoopPools().stream().noneMatch(pools::contains));
    }

    @Test
    void theUsersOwnResources_areUsed_andLeftRunning() {
        ClientResources mine = DefaultClientResources.create();
        try {
            Set<String> before = eventLoopPools();
            try (QuorumHoldfast quorum = QuorumHoldfast.builder(masters.uris())
                    .masterOptions(b -> b.clientResources(mine)).build()) {
                RLock lock = quorum.getQuorumLock("resources-mine");
                lock.lock();
                lock.unlock();
                Set<String> pools = eventLoopPools();
                pools.removeAll(before);
                assertThat(pools).as("one group: the user's").hasSize(1);
            }
            assertThat(mine.eventExecutorGroup().isShuttingDown()).as("the user's resources after close").isFalse();
        } finally {
            mine.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static Set<String> eventLoopPools() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(t -> EVENT_LOOP.matcher(t.getName()))
                .filter(Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
    }
}
