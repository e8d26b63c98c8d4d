package io.holdfast.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Many waiters on one fair lock: all served, in queue order, and nothing left behind. */
@Tag("integration")
class FairLockScaleTest extends FairFixture {

    private static final int WAITERS = 500;
    private static final int CLIENTS = 4;

    @Test
    void fiveHundredWaiters_acrossFourClients_allAcquireInQueueOrder_andLeaveNoKeyNorChannel() throws Exception {
        Holdfast gateClient = client();
        List<Holdfast> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(client());
        }
        RLock gate = gateClient.getFairLock("crowd");
        gate.lock();
        FairQueueProbe q = probe("crowd");
        List<String> served = Collections.synchronizedList(new ArrayList<>(WAITERS));
        ExecutorService pool = Executors.newFixedThreadPool(WAITERS, r -> {
            Thread t = new Thread(r, "crowd-waiter");
            t.setDaemon(true);
            return t;
        });
        closeLater(pool::shutdownNow);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            Holdfast client = clients.get(i % CLIENTS);
            done.add(pool.submit(() -> {
                RLock lock = client.getFairLock("crowd");
                lock.lock();
                try {
                    served.add(client.clientId() + ":" + Thread.currentThread().getId());
                } finally {
                    lock.unlock();
                }
                return null;
            }));
        }
        q.awaitLength(WAITERS);
        List<String> queued = q.queue();

        gate.unlock();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (Future<?> f : done) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        assertThat(served).containsExactlyElementsOf(queued);
        assertThat(q.keysLeft()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands().pubsubChannels().isEmpty());
        for (Holdfast c : clients) {
            assertThat(c.subscribedChannels()).isZero();
            assertThat(c.renewalCount()).isZero();
            assertThat(c.holdCount()).isZero();
        }
    }
}
