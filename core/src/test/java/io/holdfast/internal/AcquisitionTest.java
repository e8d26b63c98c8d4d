package io.holdfast.internal;

import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.LeasedItem;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.internal.fixtures.ManualClock;
import io.holdfast.internal.fixtures.ScriptedKind;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The wait loop of {@link Acquisition} on a {@link ManualClient}: when a busy waiter tries again,
 * when it gives up, and which hand-overs it trusts. Time only moves when a test moves it; every
 * attempt, park and timeout runs on the test's thread.
 */
class AcquisitionTest {

    private static final long LEASE_MS = 10_000;

    private final ManualClient client = new ManualClient();
    private final long t0 = client.clock.nanoTime();

    /** When each attempt was sent, in ms after the acquisition began. */
    private List<Long> attemptMillis() {
        return client.kind.attemptTimes.stream().map(t -> TimeUnit.NANOSECONDS.toMillis(t - t0)).toList();
    }

    private void advanceMillis(long ms) {
        client.clock.advance(ms, TimeUnit.MILLISECONDS);
    }


    /** The result of an acquisition that must have finished by now (never blocks: time only moves when the test moves it). */
    private static <T> T done(CompletableFuture<T> result) {
        assertThat(result).as("finished").isDone();
        return result.join();
    }

    @Test
    void busyWithRetryAfter_attemptsAgainJustAfterTheHoldersLeaseRunsOut_notBefore() {
        client.kind.onAttempt = r -> ScriptedKind.busy(300);
        CompletableFuture<Hold> result = client.acquire(LEASE_MS, 10_000);
        assertThat(attemptMillis()).as("first attempt, then one more once subscribed").containsExactly(0L, 0L);

        advanceMillis(300);
        assertThat(attemptMillis()).as("parked until 1 ms past the holder's lease").containsExactly(0L, 0L);
        advanceMillis(1);
        assertThat(attemptMillis()).containsExactly(0L, 0L, 301L);

        client.kind.onAttempt = r -> ScriptedKind.acquired(42);
        advanceMillis(300);
        assertThat(result).isNotDone();
        advanceMillis(1);
        Hold hold = done(result);
        assertThat(attemptMillis()).containsExactly(0L, 0L, 301L, 602L);
        assertThat(hold.fencingToken()).isEqualTo(42);
        assertThat(hold.validUntilNanos()).as("counted from when the granting attempt was sent")
                .isEqualTo(LeasedItem.validUntil(t0 + TimeUnit.MILLISECONDS.toNanos(602), LEASE_MS));
        assertThat(client.clock.pending()).as("no timeout left behind").isZero();
        assertThat(client.pubSub.log()).containsExactly("subscribe " + client.keys.channel(),
                "unsubscribe " + client.keys.channel());
    }

    /**
     * Cancelled after the server granted the hold (an interrupt that comes just then), the
     * acquisition gives the hold back; if that release fails, the hold still leaves the registry
     * and the watchdog, and an undo drops it on the server: nothing renews a hold nobody will use.
     */
    @Test
    void cancelledAfterTheGrant_andTheReleaseFails_theHoldIsNotKeptOrRenewed() {
        client.kind.onAttempt = r -> ScriptedKind.acquired(7);
        Acquisition a = client.ctx.engine().acquire(client.kind, client.keys, ManualClient.HOLDER, null, -1, 10_000);
        done(a.result());
        assertThat(client.renewing).hasSize(1);
        client.kind.onRelease = () -> CompletableFuture.failedFuture(
                new io.lettuce.core.RedisCommandTimeoutException("release timed out"));
        assertThat(a.cancel()).isDone();
        assertThat(client.renewing).as("not renewed").isEmpty();
        assertThat(client.ctx.holds()).as("not registered").isEmpty();
        assertThat(client.kind.abandonTimes).as("dropped on the server by an undo").hasSize(1);
    }

    /**
     * Several last levels released in one call (the multi-lock's members of one slot): each hold is
     * released as alone; a kind that answers for fewer locks than asked fails every release, and
     * leaves no hold marked as being released (each can be released again).
     */
    @Test
    void releaseAll_releasesEachHold_andAKindsWrongAnswerLeavesThemReleasable() {
        client.kind.onAttempt = r -> ScriptedKind.acquired(7);
        var stock = client.ctx.keys("stock");
        done(client.ctx.engine().acquire(client.kind, client.keys, "o:1", null, LEASE_MS, 0).result());
        done(client.ctx.engine().acquire(client.kind, stock, "o:2", null, LEASE_MS, 0).result());
        client.kind.onReleaseAll = (keys, holders) -> List.of(CompletableFuture.completedFuture(
                io.holdfast.spi.ScriptEffect.of(true)));
        List<CompletableFuture<Void>> failed = client.ctx.engine().releaseAll(client.kind, List.of(client.keys, stock),
                List.of("o:1", "o:2"));
        assertThat(failed).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
        assertThat(client.ctx.holds()).hasSize(2);

        client.kind.onReleaseAll = null;
        List<CompletableFuture<Void>> released = client.ctx.engine().releaseAll(client.kind, List.of(client.keys, stock),
                List.of("o:1", "o:2"));
        assertThat(released).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(client.ctx.holds()).isEmpty();
    }

    @Test
    void busyUntilTheDeadline_givesUpAtTheFirstAttemptAfterIt_notBefore() {
        client.kind.onAttempt = r -> ScriptedKind.busy(300);
        CompletableFuture<Hold> result = client.acquire(LEASE_MS, 1_000);

        advanceMillis(1_000);
        assertThat(result).as("at the deadline itself").isNotDone();
        assertThat(attemptMillis()).as("the last park is cut short to just past the deadline")
                .containsExactly(0L, 0L, 301L, 602L, 903L);

        advanceMillis(1);
        assertThat(attemptMillis()).containsExactly(0L, 0L, 301L, 602L, 903L, 1_001L);
        assertThat(result).isCompletedWithValue(null);
        assertThat(client.clock.pending()).isZero();
        assertThat(client.ctx.holds()).isEmpty();
    }

    @Test
    void busyWithUnknownLease_waitingForEver_attemptsAgainEveryMaxPark() {
        CompletableFuture<Hold> result = client.acquire(LEASE_MS, -1);

        advanceMillis(Acquisition.MAX_PARK_MILLIS - 1);
        assertThat(attemptMillis()).containsExactly(0L, 0L);
        advanceMillis(1);
        advanceMillis(Acquisition.MAX_PARK_MILLIS);
        assertThat(attemptMillis()).containsExactly(0L, 0L, 5_000L, 10_000L);
        assertThat(result).isNotDone();
    }

    /** Regression: "wait for ever" was a deadline of Long.MAX_VALUE, and MAX_VALUE - (negative now) overflowed into "the deadline passed". */
    @Test
    void waitingForEver_onAClockThatReadsNegative_neverGivesUp() {
        ManualClient negative = new ManualClient(new ManualClock(-7_000_000_000L));
        CompletableFuture<Hold> result = negative.acquire(LEASE_MS, -1);

        negative.clock.advance(3 * Acquisition.MAX_PARK_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(negative.kind.attemptTimes).as("attempts go on every max park").hasSize(5);
        assertThat(result).as("still waiting, not given up with nothing held").isNotDone();

        negative.kind.onAttempt = r -> ScriptedKind.acquired(7);
        negative.clock.advance(Acquisition.MAX_PARK_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(done(result).fencingToken()).isEqualTo(7);
    }

    @Test
    void tryLockWithoutWait_busy_returnsAtOnceWithoutSubscribingOrParking() {
        CompletableFuture<Hold> result = client.acquire(LEASE_MS, 0);

        assertThat(result).isCompletedWithValue(null);
        assertThat(attemptMillis()).containsExactly(0L);
        assertThat(client.pubSub.log()).isEmpty();
        assertThat(client.clock.pending()).isZero();
    }

    // --- hand-over ---

    /** Parks a waiter with a placement, as a queued kind's BUSY reply gives one. */
    private CompletableFuture<Hold> parkedWithPlacement() {
        client.kind.onAttempt = r -> CompletableFuture.completedFuture(new AttemptResult(AttemptResult.Outcome.BUSY,
                -1, null, 0, r.acquisitionId() + ".1"));
        CompletableFuture<Hold> result = client.acquire(LEASE_MS, -1);
        advanceMillis(100);
        assertThat(client.kind.attempts).hasSize(2);
        return result;
    }

    private void handOver(long token) {
        String placement = client.kind.attempts.get(0).acquisitionId() + ".1";
        client.ctx.hub().deliverLocally(client.keys.channel(),
                WakeMessage.HANDED_OVER_PREFIX + token + "|" + placement + "|" + ManualClient.HOLDER);
    }

    @Test
    void handOverValidForTheMargin_isTrusted_withoutAnAttempt() {
        CompletableFuture<Hold> result = parkedWithPlacement();
        long validUntil = client.clock.nanoTime() + Acquisition.HANDOVER_MARGIN_NANOS;
        client.kind.handOverValidUntil = OptionalLong.of(validUntil);

        handOver(77);

        Hold hold = done(result);
        assertThat(client.kind.attempts).as("no attempt to confirm it").hasSize(2);
        assertThat(hold.fencingToken()).isEqualTo(77);
        assertThat(hold.validUntilNanos()).as("the kind's bound, as is").isEqualTo(validUntil);
    }

    @Test
    void handOverValidForLessThanTheMargin_isConfirmedWithAnAttempt() {
        CompletableFuture<Hold> result = parkedWithPlacement();
        client.kind.handOverValidUntil = OptionalLong.of(client.clock.nanoTime() + Acquisition.HANDOVER_MARGIN_NANOS - 1);
        client.kind.onAttempt = r -> ScriptedKind.acquired(78);
        long sent = client.clock.nanoTime();

        handOver(77);

        Hold hold = done(result);
        assertThat(client.kind.attempts).as("one attempt grants it again in full").hasSize(3);
        assertThat(hold.fencingToken()).as("the attempt's token").isEqualTo(78);
        assertThat(hold.validUntilNanos()).isEqualTo(LeasedItem.validUntil(sent, LEASE_MS));
    }

    @Test
    void handOverOfUnknownValidity_isConfirmedWithAnAttempt() {
        CompletableFuture<Hold> result = parkedWithPlacement();
        client.kind.onAttempt = r -> ScriptedKind.acquired(79);

        handOver(77);

        assertThat(done(result).fencingToken()).isEqualTo(79);
        assertThat(client.kind.attempts).hasSize(3);
    }

    @Test
    void handOverTrustedOnce_thenValidityFollowsTheTicker() {
        CompletableFuture<Hold> result = parkedWithPlacement();
        client.kind.handOverValidUntil = OptionalLong.of(client.clock.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        handOver(77);
        Hold hold = done(result);

        assertThat(hold.remaining(TimeUnit.MILLISECONDS)).isEqualTo(2_000);
        advanceMillis(1_500);
        assertThat(hold.remaining(TimeUnit.MILLISECONDS)).isEqualTo(500);
        assertThat(hold.isValid()).isTrue();
        advanceMillis(500);
        assertThat(hold.isValid()).isFalse();
    }
}
