package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.ChildJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fair lock across processes: real child JVMs ({@link FairWaiterMain}) queue on it. */
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
    void killedHeadWaiter_isEvictedWithinTheWaiterTimeout_andTheNextWaiterProceeds() throws Exception {
        Holdfast a = client();
        Holdfast b = client(WAITER_TIMEOUT);
        RLock gate = a.getFairLock("killed");
        gate.lock();
        FairQueueProbe q = probe("killed");
        ChildJvm child = closeLater(startWaiter("killed"));
        String childHolder = child.awaitLine(l -> l.startsWith("ready "), STARTUP).substring("ready ".length());
        child.sendLine("lock");
        q.awaitLength(1);
        OwnerThread next = thread("next");
        Future<Long> nextToken = next.submit(() -> {
            RLock lock = b.getFairLock("killed");
            if (!lock.tryLock(60, TimeUnit.SECONDS)) {
                return -1L;
            }
            long token = lock.getFencingToken();
            lock.unlock();
            return token;
        });
        q.awaitLength(2);
        assertThat(q.queue()).containsExactly(childHolder, holderId(b, next));

        child.kill9();
        long killedAt = q.serverMillis();
        Long lastDeadline = q.deadline(childHolder); // nobody renews it any more
        gate.unlock(); // wakes the dead head: nothing happens until it is evicted

        long grantedAt = nextToken.get(60, TimeUnit.SECONDS) / 1000; // fencing token = server time in µs
        System.out.printf("fair eviction: waiter timeout %d ms; kill -9 -> next waiter granted %d ms"
                + " (server time), %d ms after the dead head's last deadline%n",
                WAITER_TIMEOUT.toMillis(), grantedAt - killedAt, grantedAt - (lastDeadline == null ? 0 : lastDeadline));
        assertThat(lastDeadline).as("the dead head's deadline").isNotNull()
                .isLessThanOrEqualTo(killedAt + WAITER_TIMEOUT.toMillis());
        assertThat(grantedAt).as("the next waiter got in after the dead head's deadline, not before")
                .isGreaterThanOrEqualTo(lastDeadline);
        assertThat(grantedAt - killedAt).as("ms from kill -9 to the next waiter's grant (server time)")
                .isLessThanOrEqualTo(WAITER_TIMEOUT.toMillis() + 3_000);
        assertThat(q.keysLeft()).isEmpty();
    }

    private ChildJvm startWaiter(String lockName) {
        return ChildJvm.builder(FairWaiterMain.class).jvmArg("-Xmx64m", "-XX:TieredStopAtLevel=1")
                .arg(redis.uri(), lockName, Long.toString(WAITER_TIMEOUT.toMillis())).start();
    }

    private static long nanos(String line) {
        return Long.parseLong(line.split(" ")[1]);
    }
}
