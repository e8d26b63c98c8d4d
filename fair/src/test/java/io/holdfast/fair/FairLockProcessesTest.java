package io.holdfast.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.ChildJvm;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fair lock across processes: real child JVMs ({@link FairWaiterMain}) queue on it. */
@Tag("integration")
class FairLockProcessesTest extends FairFixture {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration WAITER_TIMEOUT = Duration.ofMillis(1500);

    @Test
    void fourChildJvms_acquireInTheOrderTheyQueued_oneAfterAnother() {
        Holdfast a = client();
        RLock gate = a.getFairLock("jvms");
        gate.lock();
        FairQueueProbe q = probe("jvms");
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            children.add(closeLater(startWaiter("jvms")));
        }
        List<String> holders = new ArrayList<>();
        for (ChildJvm child : children) {
            holders.add(child.awaitLine(l -> l.startsWith("ready "), STARTUP).substring("ready ".length()));
        }
        for (int i = 0; i < children.size(); i++) {
            children.get(i).sendLine("lock");
            q.awaitLength(i + 1);
        }
        assertThat(q.queue()).containsExactlyElementsOf(holders);

        gate.unlock();

        // one system-wide monotonic clock: each child got it after the previous one let go
        long previousRelease = Long.MIN_VALUE;
        for (ChildJvm child : children) {
            long acquired = nanos(child.awaitLine(l -> l.startsWith("acquired "), STARTUP));
            long released = nanos(child.awaitLine(l -> l.startsWith("released "), STARTUP));
            assertThat(acquired).as("%s acquired after the previous release", child).isGreaterThan(previousRelease);
            previousRelease = released;
        }
        assertThat(q.keysLeft()).isEmpty();
    }

    @Test
    void killedHeadWaiter_isHandedTheLockAtMostForTheWaiterTimeout_thenTheNextWaiterProceeds() throws Exception {
        Race race = queueChildThenNext("killed-head");
        race.child.kill9();
        long killedAt = race.q.serverMillis();
        Long keyLeft = race.q.waiterTtl(race.childHolder); // nobody renews it any more
        long unlockedAt = race.q.serverMillis();
        race.gate.unlock(); // hands the lock over to the dead head if its waiter entry is still alive

        long grantedAt = race.nextToken.get(60, TimeUnit.SECONDS) / 1000; // fencing token = server time in µs
        System.out.printf("fair dead head: waiter timeout %d ms; its waiter entry had %s ms left at unlock;"
                + " kill -9 -> next waiter granted %d ms, unlock -> granted %d ms (server time)%n",
                WAITER_TIMEOUT.toMillis(), keyLeft, grantedAt - killedAt, grantedAt - unlockedAt);
        // a hand-over to the dead head lasts one waiter timeout; the next waiter looks again within
        // another one (its attempts park no longer); the rest is slack for a slow machine
        assertThat(grantedAt - unlockedAt).as("ms from unlock to the next waiter's grant (server time)")
                .isLessThanOrEqualTo(2 * WAITER_TIMEOUT.toMillis() + 3_000);
        assertThat(race.q.keysLeft()).isEmpty();
    }

    @Test
    void killedWaiter_whoseKeyExpiredBeforeItsTurn_isSkipped_andTheLockGoesStraightToTheNext() throws Exception {
        Race race = queueChildThenNext("killed-early");
        race.child.kill9();
        await().atMost(Duration.ofSeconds(30)).until(() -> race.q.waiterTtl(race.childHolder) == null);
        assertThat(race.q.queue()).as("still queued: skipped only when it comes to the head")
                .containsExactly(race.childHolder, race.nextHolder);
        long unlockedAt = race.q.serverMillis();
        race.gate.unlock();

        long grantedAt = race.nextToken.get(60, TimeUnit.SECONDS) / 1000;
        System.out.printf("fair skipped dead waiter: unlock -> next waiter granted %d ms (server time)%n",
                grantedAt - unlockedAt);
        // handed over by the release itself, not after a grant to the dead waiter ran out
        assertThat(grantedAt - unlockedAt).isLessThan(WAITER_TIMEOUT.toMillis());
        assertThat(race.q.keysLeft()).isEmpty();
    }

    /** A gate held by one client, a child JVM queued at the head and another client's thread behind it. */
    private record Race(RLock gate, FairQueueProbe q, ChildJvm child, String childHolder, String nextHolder,
            Future<Long> nextToken) {
    }

    private Race queueChildThenNext(String name) throws Exception {
        Holdfast a = client();
        Holdfast b = client(WAITER_TIMEOUT);
        RLock gate = a.getFairLock(name);
        gate.lock();
        FairQueueProbe q = probe(name);
        ChildJvm child = closeLater(startWaiter(name));
        String childHolder = child.awaitLine(l -> l.startsWith("ready "), STARTUP).substring("ready ".length());
        child.sendLine("lock");
        q.awaitLength(1);
        OwnerThread next = thread("next");
        Future<Long> nextToken = next.submit(() -> {
            RLock lock = b.getFairLock(name);
            if (!lock.tryLock(60, TimeUnit.SECONDS)) {
                return -1L;
            }
            long token = lock.getFencingToken();
            lock.unlock();
            return token;
        });
        q.awaitLength(2);
        assertThat(q.queue()).containsExactly(childHolder, holderId(b, next));
        return new Race(gate, q, child, childHolder, holderId(b, next), nextToken);
    }

    private ChildJvm startWaiter(String lockName) {
        return ChildJvm.builder(FairWaiterMain.class).jvmArg("-Xmx64m", "-XX:TieredStopAtLevel=1")
                .arg(redis.uri(), lockName, Long.toString(WAITER_TIMEOUT.toMillis())).start();
    }

    private static long nanos(String line) {
        return Long.parseLong(line.split(" ")[1]);
    }
}
