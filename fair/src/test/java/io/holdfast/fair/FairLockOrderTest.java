package io.holdfast.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** First come, first served: the order of a fair lock's queue, across threads and clients. */
@Tag("integration")
class FairLockOrderTest extends FairFixture {

    @Test
    void eightThreads_acrossTwoClients_acquireInTheOrderTheyQueued() throws Exception {
        Holdfast a = client();
        Holdfast b = client();
        RLock gate = a.getFairLock("order");
        gate.lock();
        FairQueueProbe q = probe("order");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> holders = new ArrayList<>();
        List<Future<Object>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Holdfast client = i % 2 == 0 ? a : b;
            OwnerThread t = thread("waiter-" + i);
            holders.add(holderId(client, t));
            done.add(t.submit(recordingAcquire(client, "order", order, i)));
            q.awaitLength(i + 1);
        }
        assertThat(q.queue()).containsExactlyElementsOf(holders);

        gate.unlock();

        for (Future<Object> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactlyElementsOf(IntStream.range(0, 8).boxed().toList());
        assertThat(q.keysLeft()).isEmpty();
    }

    @Test
    void timedOutTryLock_inTheMiddle_leavesAtOnce_andThoseBehindKeepTheirOrder() throws Exception {
        Holdfast a = client();
        Holdfast b = client();
        RLock gate = a.getFairLock("middle");
        gate.lock();
        FairQueueProbe q = probe("middle");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        OwnerThread t0 = thread("first");
        OwnerThread quitter = thread("quitter");
        OwnerThread t2 = thread("third");
        OwnerThread t3 = thread("fourth");
        Future<Object> first = t0.submit(recordingAcquire(b, "middle", order, 0));
        q.awaitLength(1);
        Future<Boolean> gaveUp = quitter.submit(() -> a.getFairLock("middle").tryLock(4, TimeUnit.SECONDS));
        q.awaitLength(2);
        Future<Object> third = t2.submit(recordingAcquire(b, "middle", order, 2));
        q.awaitLength(3);
        Future<Object> fourth = t3.submit(recordingAcquire(a, "middle", order, 3));
        q.awaitLength(4);

        assertThat(gaveUp.get(30, TimeUnit.SECONDS)).isFalse();
        // it left on its way out: gone before tryLock returned, the others untouched
        assertThat(q.queue()).containsExactly(holderId(b, t0), holderId(b, t2), holderId(a, t3));
        assertThat(q.waiterTtl(holderId(a, quitter))).isNull();
        assertThat(a.renewalCount()).isEqualTo(2); // the gate's hold and t3's queue place

        gate.unlock();

        first.get(30, TimeUnit.SECONDS);
        third.get(30, TimeUnit.SECONDS);
        fourth.get(30, TimeUnit.SECONDS);
        assertThat(order).containsExactly(0, 2, 3);
        assertThat(q.keysLeft()).isEmpty();
    }

    @Test
    void tryLock_withoutWait_neverJumpsNorJoinsTheQueue() throws Exception {
        Holdfast a = client();
        Holdfast b = client();
        FairQueueProbe q = probe("polite");
        RLock held = a.getFairLock("polite");
        held.lock();
        assertThat(b.getFairLock("polite").tryLock()).isFalse();
        assertThat(q.keysLeft()).containsExactly(q.lockKey()); // did not join
        held.unlock();

        // free, but somebody is queued and alive: nobody may jump ahead of it; the first attempt that
        // finds the lock free hands it over to that waiter
        String ghost = "someone-else:1";
        q.addWaiter(ghost, 60_000, "60000:1");
        assertThat(b.getFairLock("polite").tryLock()).isFalse();
        assertThat(redis.commands().hgetall(q.lockKey())).containsOnlyKeys(ghost);
        assertThat(a.getFairLock("polite").tryLock()).isFalse();
        // a newcomer that waits queues behind the holder, and leaves again when its wait is over
        assertThat(b.getFairLock("polite").tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(q.queue()).isEmpty();
        assertThat(b.renewalCount()).isZero();

        // the ghost's hold runs out: the lock is free for the taking
        redis.commands().pexpire(q.lockKey(), 1);
        RLock polite = b.getFairLock("polite");
        await().pollInSameThread().atMost(Duration.ofSeconds(5)).until(polite::tryLock);
        assertThat(q.keysLeft()).containsExactly(q.lockKey());
        polite.unlock();
        assertThat(q.keysLeft()).isEmpty();
    }

    @Test
    void liveWaiter_keepsItsPlace_farPastTheWaiterTimeout() throws Exception {
        Duration waiterTimeout = Duration.ofMillis(600);
        Holdfast a = client();
        Holdfast w = client(waiterTimeout);
        RLock gate = a.getFairLock("patient");
        gate.lock();
        FairQueueProbe q = probe("patient");
        OwnerThread waiter = thread("patient");
        Future<Boolean> got = waiter.submit(() -> w.getFairLock("patient").tryLock(60, TimeUnit.SECONDS));
        q.awaitLength(1);
        assertThat(w.renewalCount()).isEqualTo(1); // its queue place

        // five waiter timeouts: the watchdog keeps renewing the place, it stays at the head
        await().during(waiterTimeout.multipliedBy(5)).atMost(waiterTimeout.multipliedBy(10))
                .until(() -> q.queue().equals(List.of(holderId(w, waiter))));
        gate.unlock();

        assertThat(got.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(w.renewalCount()).isEqualTo(1); // now its hold, no longer the place
        waiter.run(() -> w.getFairLock("patient").unlock());
        assertThat(w.renewalCount()).isZero();
        assertThat(q.keysLeft()).isEmpty();
    }

    @Test
    void handedOverHold_getsTheWaiterTimeoutAsFirstLease_andTheWatchdogRenewsItToTheFullLease() throws Exception {
        Duration waiterTimeout = Duration.ofMillis(600);
        Holdfast a = client();
        Holdfast w = client(waiterTimeout);
        RLock gate = a.getFairLock("heir");
        gate.lock();
        FairQueueProbe q = probe("heir");
        OwnerThread heir = thread("heir");
        Future<Boolean> got = heir.submit(() -> w.getFairLock("heir").tryLock(60, TimeUnit.SECONDS));
        q.awaitLength(1);
        gate.unlock(); // hands it over with a lease of one waiter timeout

        assertThat(got.get(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands().pttl(q.lockKey()) > waiterTimeout.toMillis());
        // held far past its first lease, and never lost
        await().during(waiterTimeout.multipliedBy(3)).atMost(waiterTimeout.multipliedBy(10))
                .until(() -> heir.call(() -> w.getFairLock("heir").isHeldByCurrentThread()));
        heir.run(() -> w.getFairLock("heir").unlock());
        assertThat(q.keysLeft()).isEmpty();
    }

    @Test
    void handedOverHold_withAWatchdogLeaseShorterThanThePlacesRenewal_isConfirmed_neverLost() throws Exception {
        // places are confirmed every ~2.5 s (half the 5 s waiter timeout), the lease is 1 s: a hold
        // bounded by the last confirmation would often be over before lock() returned
        Holdfast a = client();
        Holdfast w = client(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofSeconds(1)).build());
        FairQueueProbe q = probe("short-lease");
        for (int round = 0; round < 3; round++) {
            RLock gate = a.getFairLock("short-lease");
            gate.lock();
            OwnerThread heir = thread("heir" + round);
            Future<Boolean> got = heir.submit(() -> w.getFairLock("short-lease").tryLock(60, TimeUnit.SECONDS));
            q.awaitLength(1);
            // let the place's last confirmation age past the lease (its waiter deadline tells)
            String heirId = holderId(w, heir);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                Long ttl = q.waiterTtl(heirId);
                return ttl != null && ttl < 5_000 - 1_200;
            });
            gate.unlock();
            assertThat(got.get(30, TimeUnit.SECONDS)).isTrue();
            await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(10))
                    .until(() -> heir.call(() -> w.getFairLock("short-lease").isHeldByCurrentThread()));
            heir.run(() -> w.getFairLock("short-lease").unlock()); // throws if the hold was reported lost
        }
        assertThat(q.keysLeft()).isEmpty();
    }

    /** Takes the lock, notes {@code n} in {@code order}, lets go. */
    static java.util.concurrent.Callable<Object> recordingAcquire(Holdfast client, String name, List<Integer> order, int n) {
        return () -> {
            RLock lock = client.getFairLock(name);
            lock.lock();
            try {
                order.add(n);
            } finally {
                lock.unlock();
            }
            return null;
        };
    }
}
