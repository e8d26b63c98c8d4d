package io.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over rules of {@link Waiter}, without Redis (the timer is never allowed to fire), and
 * its quiet parks (the timer fires there).
 */
class WaiterTest {

    private final HashedWheelTimer timer = new HashedWheelTimer();
    private final AtomicLong handedOverWith = new AtomicLong();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Waiter waiter = new Waiter("client:1", 7, handedOverWith::set);

    @AfterEach
    void stopTimer() {
        timer.stop();
    }

    private void park() {
        waiter.park(60_000, timer, attempts::incrementAndGet);
    }

    @Test
    void handOverOfTheCurrentPlacement_whileParked_isTrustedWithItsToken() {
        waiter.placement("7.100");
        park();
        assertThat(waiter.handedOver("7.100", 42)).isTrue();
        assertThat(handedOverWith).hasValue(42);
        assertThat(attempts).hasValue(0);
    }

    /** Issue 12 item 1: a late message for a grant that ran out before the waiter queued again. */
    @Test
    void lateHandOverOfAnEarlierPlacement_ofTheSameAcquisition_isOnlyAWakeUp() {
        waiter.placement("7.200"); // queued again: the server picked a new placement
        park();
        assertThat(waiter.handedOver("7.100", 42)).isTrue();
        assertThat(handedOverWith).as("not trusted as a grant").hasValue(0);
        assertThat(attempts).as("an attempt asks the server instead").hasValue(1);
    }

    @Test
    void handOverOfAnotherAcquisition_isIgnored() {
        waiter.placement("7.100");
        park();
        assertThat(waiter.handedOver("8.100", 42)).isFalse();
        assertThat(waiter.handedOver("70.100", 42)).as("an id that only starts with the same digits").isFalse();
        assertThat(handedOverWith).hasValue(0);
        assertThat(attempts).hasValue(0);
    }

    @Test
    void handOverBeforeAnyPlacementIsKnown_isOnlyAWakeUp() {
        park();
        assertThat(waiter.handedOver("7.100", 42)).isTrue();
        assertThat(handedOverWith).hasValue(0);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aQuietPark_cutShortByPoll_endsWhenItsTimedDelayWouldHave_notATimedDelayAfterThePoll() {
        long parkedAt = System.nanoTime();
        waiter.park(2_000, 60_000, timer, attempts::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - parkedAt >= TimeUnit.MILLISECONDS.toNanos(1_800));
        assertThat(attempts).as("quiet: not at its timed delay yet, nor later").hasValue(0);

        long polledAt = System.nanoTime();
        waiter.poll(); // becomes the poller 1.8 s into a 2 s timed delay: the park ends at 2 s, not at 3.8 s
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
        assertThat(System.nanoTime() - polledAt).as("ns from the poll to the attempt")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(1_500));
    }

    @Test
    void aQuietParkWhoseTimedDelayHasPassed_endsAtOnceWhenPolled() {
        waiter.park(1, 60_000, timer, attempts::incrementAndGet);
        long parkedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - parkedAt >= TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(attempts).as("parked quietly past its timed delay").hasValue(0);
        waiter.poll();
        await().atMost(Duration.ofSeconds(2)).until(() -> attempts.get() == 1);
    }

    @Test
    void thePoller_parksOnItsTimedDelay() {
        waiter.poll();
        waiter.park(50, 60_000, timer, attempts::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    }

    @Test
    void aQuietParkWhoseOwnTimedDelayHasPassed_takesThePreviousPollersNextLook_notAnAttemptAtOnce() {
        Waiter previous = new Waiter("client:2", 8, t -> { });
        AtomicInteger previousAttempts = new AtomicInteger();
        waiter.park(1, 60_000, timer, attempts::incrementAndGet);
        long parkedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - parkedAt >= TimeUnit.MILLISECONDS.toNanos(200));
        previous.poll();
        previous.park(1_500, 60_000, timer, previousAttempts::incrementAndGet); // its next look: 1.5 s from now
        long handedOnAt = System.nanoTime();
        previous.done(); // it leaves (say it was handed the lock) before that look

        waiter.poll(previous);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
        long waited = System.nanoTime() - handedOnAt;
        assertThat(waited).as("ns from the hand-on to the attempt: the previous poller's next look, not at once")
                .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_000)).isLessThan(TimeUnit.MILLISECONDS.toNanos(4_000));
        assertThat(previousAttempts).hasValue(0);
    }

    @Test
    void aQuietParksBackstop_parksOnWhileTheClientStillPolls_andActsWhenThePollingStalls() {
        AtomicBoolean polled = new AtomicBoolean(true);
        AtomicInteger asked = new AtomicInteger();
        waiter.park(10, 60_000, 200, () -> {
            asked.incrementAndGet();
            return polled.get();
        }, timer, attempts::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> asked.get() >= 3);
        assertThat(attempts).as("three backstops came due while the client polled: no attempt").hasValue(0);

        polled.set(false); // the poller stopped looking at the lock
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    }

    @Test
    void aQuietPark_endsAtItsDeadline_evenWhileTheClientPolls() {
        long parkedAt = System.nanoTime();
        waiter.park(10, 700, 200, () -> true, timer, attempts::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
        assertThat(System.nanoTime() - parkedAt).as("ns from the park to the attempt: its deadline, not a backstop")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(650));
    }

    @Test
    void anUnboundedQuietPark_stillEndsAtItsBackstop_whenNobodyPolls() {
        waiter.park(10, Long.MAX_VALUE, 200, () -> false, timer, attempts::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() == 1);
    }

    @Test
    void aQuietPark_attemptsAfterItsLastBackstop_evenWhileTheClientPolls() {
        long parkedAt = System.nanoTime();
        waiter.park(10, 60_000, 100, () -> true, timer, attempts::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
        assertThat(System.nanoTime() - parkedAt).as("ns from the park to the attempt: about Waiter.REARMS backstops")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos((Waiter.REARMS - 1) * 100L));
    }

    @Test
    void aChainOfHandOns_keepsTheFirstPollersNextLook() {
        // bench scale-waiters, 10,000 waiters: each poller was handed the lock a few ms after it took
        // over, and the next one inherited the look of a waiter that had parked long ago: one attempt
        // per hand-on
        Waiter first = new Waiter("client:2", 8, t -> { });
        Waiter second = new Waiter("client:3", 9, t -> { });
        AtomicInteger others = new AtomicInteger();
        second.park(1, 60_000, timer, others::incrementAndGet);
        waiter.park(1, 60_000, timer, attempts::incrementAndGet);
        long parkedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - parkedAt >= TimeUnit.MILLISECONDS.toNanos(200));
        first.poll();
        first.park(1_500, 60_000, timer, others::incrementAndGet); // the chain's next look: 1.5 s from now
        long startedAt = System.nanoTime();
        first.done();
        second.poll(first); // takes over, its own timed look long past: it inherits the 1.5 s
        second.done(); // and is handed the lock before that look
        waiter.poll(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
        assertThat(System.nanoTime() - startedAt).as("ns from the first hand-on to the attempt: the first poller's look")
                .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1_000)).isLessThan(TimeUnit.MILLISECONDS.toNanos(4_000));
        assertThat(others).hasValue(0);
    }
}
