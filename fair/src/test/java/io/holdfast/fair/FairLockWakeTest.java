package io.holdfast.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.OwnerThread;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A fair release hands the lock over to the head of the queue and tells it, nobody else. */
@Tag("integration")
class FairLockWakeTest extends FairFixture {

    @Test
    void release_handsTheLockOverToTheHead_withOneMessageNamingOnlyIt() throws Exception {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        RedisClient raw = RedisClient.create(redis.uri());
        closeLater(raw::shutdown);
        StatefulRedisPubSubConnection<String, String> sub = raw.connectPubSub(StringCodec.UTF8);
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                messages.add(message);
            }
        });
        sub.sync().subscribe("holdfast:{herd}:wake");

        Holdfast a = client();
        Holdfast b = client();
        RLock gate = a.getFairLock("herd");
        gate.lock();
        FairQueueProbe q = probe("herd");
        List<String> holders = new ArrayList<>();
        List<Future<Object>> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Holdfast client = i % 2 == 0 ? b : a;
            OwnerThread t = thread("w" + i);
            holders.add(holderId(client, t));
            done.add(t.submit(FairLockOrderTest.recordingAcquire(client, "herd", new ArrayList<>(), i)));
            q.awaitLength(i + 1);
        }
        gate.unlock();
        for (Future<Object> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }

        // gate -> w0 -> w1 -> w2, and w2's release finds nobody to hand it to
        await().atMost(Duration.ofSeconds(10)).until(() -> messages.size() >= 3);
        assertThat(messages).map(m -> m.replaceFirst("^!\\d+\\|\\d+\\.\\d+\\|", "!|"))
                .containsExactly("!|" + holders.get(0), "!|" + holders.get(1), "!|" + holders.get(2));
        List<Long> tokens = messages.stream().map(m -> Long.parseLong(m.substring(1, m.indexOf('|')))).toList();
        assertThat(tokens).as("fencing tokens: server time in µs, increasing").isSorted().doesNotHaveDuplicates()
                .allMatch(t -> t > 1_500_000_000_000_000L);
    }

    /**
     * Measures the Redis commands one contended handoff costs: 16 waiters over 4 clients pass the
     * lock along. A herd (every waiter retrying on each release) would cost at least one script
     * call per waiter per handoff; the fair lock costs the release, which hands the lock over.
     */
    @Test
    void contendedHandoff_costsOnlyTheRelease_notOneCallPerWaiter() throws Exception {
        int waiters = 16;
        Holdfast gateClient = client();
        List<Holdfast> clients = List.of(client(), client(), client(), client());
        RLock warmUp = gateClient.getFairLock("warm-up"); // loads the scripts: no NOSCRIPT round trips below
        warmUp.lock();
        warmUp.unlock();
        RLock gate = gateClient.getFairLock("cost");
        gate.lock();
        FairQueueProbe q = probe("cost");
        List<Future<Object>> done = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            done.add(thread("w" + i).submit(FairLockOrderTest.recordingAcquire(clients.get(i % 4), "cost", new ArrayList<>(), i)));
        }
        q.awaitLength(waiters);

        Map<String, Long> before = CommandStats.read(redis.commands());
        long start = System.nanoTime();
        gate.unlock();
        for (Future<Object> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        long tookNanos = System.nanoTime() - start;
        Map<String, Long> delta = CommandStats.delta(before, CommandStats.read(redis.commands()));

        long scripts = delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
        System.out.printf("fair handoff cost: %d handoffs, %d script calls (%.2f per handoff), %d PUBLISH, %.2f ms per handoff; all: %s%n",
                waiters, scripts, scripts / (double) waiters, delta.getOrDefault("publish", 0L),
                tookNanos / 1e6 / waiters, delta);
        // 1 per handoff; the slack covers watchdog renewals and waiters' periodic checks on a slow box
        assertThat(scripts).isLessThan(waiters * 2L);
        assertThat(delta.getOrDefault("publish", 0L)).isLessThanOrEqualTo(waiters);
        assertThat(q.keysLeft()).isEmpty();
    }
}
