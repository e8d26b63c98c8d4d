package io.holdfast.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How quorum-lock waiters wait: queued on one master only (the holder's first), never on the
 * others (whose own queues would split the vote), woken by the release rather than by polling.
 */
@Tag("integration")
class QuorumWaitingTest {

    @RegisterExtension
    static final FiveMasters masters = new FiveMasters();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private QuorumHoldfast quorum(Duration lease) {
        // a generous per-master timeout: on a loaded machine a cut-off answer would make a waiter
        // queue on the next busy master, which is right, but not what this test looks at
        QuorumHoldfast q = QuorumHoldfast.builder(masters.uris()).watchdogLease(lease).memberTimeout(Duration.ofSeconds(3))
                .build();
        closeables.add(q);
        return q;
    }

    @Test
    void waiters_queueOnTheHoldersFirstMasterOnly_andAreServedInArrivalOrder() throws Exception {
        RLock held = quorum(Duration.ofSeconds(30)).getQuorumLock("gate");
        held.lock();
        List<String> order = new CopyOnWriteArrayList<>();
        List<Future<Boolean>> waiting = new ArrayList<>();
        String first = sortedFirst();
        for (int i = 0; i < 3; i++) {
            String name = "w" + i;
            RLock lock = quorum(Duration.ofSeconds(30)).getQuorumLock("gate");
            OwnerThread t = new OwnerThread(name);
            closeables.add(t);
            waiting.add(t.submit(() -> {
                boolean got = lock.tryLock(20, TimeUnit.SECONDS);
                order.add(name);
                lock.unlock();
                return got;
            }));
            int queued = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> queueLength(first) == queued);
        }
        for (var s : masters.all()) {
            if (!s.uri().equals(first)) {
                assertThat(s.commands().exists("holdfast:{gate}:queue")).as("no queue on %s", s).isZero();
                assertThat(s.commands().pubsubChannels("holdfast:*")).as("no waiter subscribed on %s", s).isEmpty();
            }
        }
        held.unlock();
        for (Future<Boolean> f : waiting) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(order).containsExactly("w0", "w1", "w2");
    }

    /** The masters' first URI in the builder's order (it sorts them): where waiters queue. */
    private static String sortedFirst() {
        return java.util.Arrays.stream(masters.uris()).sorted().findFirst().orElseThrow();
    }

    private static long queueLength(String uri) {
        return masters.all().stream().filter(s -> s.uri().equals(uri)).findFirst().orElseThrow()
                .commands().zcard("holdfast:{gate}:queue");
    }
}
