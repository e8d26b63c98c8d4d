package io.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.HoldfastTimeoutException;
import io.holdfast.internal.fixtures.ScriptedKind;
import io.lettuce.core.RedisCommandTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Undos} on a {@link ManualClient}: a failed undo is retried with back-off until it
 * succeeds or what it undoes has surely expired, and the owner's next acquisition of the lock does
 * not overtake it.
 */
class UndosTest {

    private final ManualClient client = new ManualClient();
    private final ScriptedKind kind = client.kind;
    private final long t0 = client.clock.nanoTime();

    private static CompletableFuture<Void> unreachable() {
        return CompletableFuture.failedFuture(new RedisCommandTimeoutException("Command timed out after 5 second(s)"));
    }

    private void failNextAbandons(int n) {
        for (int i = 0; i < n; i++) {
            kind.abandonReplies.add(unreachable());
        }
    }

    private List<Long> abandonMillis() {
        return kind.abandonTimes.stream().map(t -> TimeUnit.NANOSECONDS.toMillis(t - t0)).toList();
    }

    private void advanceMillis(long ms) {
        client.clock.advance(ms, TimeUnit.MILLISECONDS);
    }

    private boolean pending() {
        return client.ctx.undos().isPending(client.keys, ManualClient.HOLDER);
    }


    /** The result of an acquisition that must have finished by now (never blocks: time only moves when the test moves it). */
    private static <T> T done(CompletableFuture<T> result) {
        assertThat(result).as("finished").isDone();
        return result.join();
    }

    @Test
    void failedUndo_isRetriedWithDoublingBackOff_cappedAtASecond_untilItSucceeds() {
        failNextAbandons(7);
        CompletableFuture<Void> first = client.ctx.undos().undo(kind, client.keys, ManualClient.HOLDER, 60_000);
        assertThat(first).isCompletedExceptionally();

        advanceMillis(3_549);
        assertThat(abandonMillis()).containsExactly(0L, 50L, 150L, 350L, 750L, 1_550L, 2_550L);
        assertThat(pending()).isTrue();

        advanceMillis(1);
        assertThat(abandonMillis()).as("the 8th try succeeds").hasSize(8).endsWith(3_550L);
        assertThat(pending()).isFalse();
        assertThat(client.clock.pending()).as("no retry left scheduled").isZero();
    }

    @Test
    void failedUndo_givesUpAfterItsLifetime_whatItUndoesHasExpiredByThen() {
        kind.abandonReplies.addAll(java.util.Collections.nCopies(100, unreachable()));
        client.ctx.undos().undo(kind, client.keys, ManualClient.HOLDER, 1_000);

        advanceMillis(1_549);
        assertThat(abandonMillis()).containsExactly(0L, 50L, 150L, 350L, 750L);
        assertThat(pending()).as("still within its lifetime at the last failure").isTrue();

        advanceMillis(1);
        assertThat(abandonMillis()).containsExactly(0L, 50L, 150L, 350L, 750L, 1_550L);
        assertThat(pending()).as("failed after its lifetime: dropped").isFalse();
        assertThat(client.clock.pending()).isZero();

        client.kind.onAttempt = r -> ScriptedKind.acquired(1);
        assertThat(client.acquire(10_000, 0)).as("a new acquisition no longer waits").isCompleted();
        assertThat(abandonMillis()).hasSize(6);
    }

    @Test
    void failedUndo_atExactlyTheEndOfItsLifetime_isTriedOnceMore() {
        kind.abandonReplies.addAll(java.util.Collections.nCopies(100, unreachable()));
        client.ctx.undos().undo(kind, client.keys, ManualClient.HOLDER, 750);

        advanceMillis(750);
        assertThat(abandonMillis()).endsWith(750L);
        assertThat(pending()).as("what it undoes may live until this very instant").isTrue();
        advanceMillis(800);
        assertThat(abandonMillis()).endsWith(750L, 1_550L);
        assertThat(pending()).isFalse();
    }

    @Test
    void newAcquisition_waitsForTheUndoInFlight_andAttemptsOnlyAfterIt() {
        failNextAbandons(1);
        CompletableFuture<Void> retry = new CompletableFuture<>();
        kind.abandonReplies.add(retry);
        client.ctx.undos().undo(kind, client.keys, ManualClient.HOLDER, 60_000);
        advanceMillis(50);
        assertThat(abandonMillis()).as("the retry is on the wire").containsExactly(0L, 50L);

        kind.onAttempt = r -> ScriptedKind.acquired(9);
        CompletableFuture<Hold> acquired = client.acquire(10_000, 0);
        advanceMillis(10);
        assertThat(kind.attempts).as("no attempt while the undo may still run after it").isEmpty();
        assertThat(acquired).isNotDone();

        retry.complete(null);
        assertThat(kind.attemptTimes).containsExactly(t0 + TimeUnit.MILLISECONDS.toNanos(60));
        assertThat(done(acquired).fencingToken()).isEqualTo(9);
        assertThat(pending()).isFalse();
    }

    @Test
    void newAcquisition_betweenRetries_triesTheUndoAtOnce_andTheScheduledRetryDoesNothing() {
        failNextAbandons(1);
        client.ctx.undos().undo(kind, client.keys, ManualClient.HOLDER, 60_000);
        advanceMillis(10);

        kind.onAttempt = r -> ScriptedKind.acquired(9);
        CompletableFuture<Hold> acquired = client.acquire(10_000, 0);

        assertThat(abandonMillis()).containsExactly(0L, 10L);
        assertThat(done(acquired).fencingToken()).isEqualTo(9);
        advanceMillis(1_000);
        assertThat(abandonMillis()).as("the retry due at 50 ms found it done").containsExactly(0L, 10L);
    }

    @Test
    void newAcquisition_whileTheUndoStillFails_failsWithoutAttempting() {
        failNextAbandons(2);
        client.ctx.undos().undo(kind, client.keys, ManualClient.HOLDER, 60_000);
        advanceMillis(10);

        CompletableFuture<Hold> acquired = client.acquire(10_000, 0);

        assertThat(acquired).isDone();
        assertThatThrownBy(acquired::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(HoldfastTimeoutException.class).hasMessageContaining("not undone yet");
        assertThat(kind.attempts).isEmpty();
        assertThat(pending()).as("still retried").isTrue();
        advanceMillis(100);
        assertThat(abandonMillis()).as("back-off goes on from the failed try").containsExactly(0L, 10L, 110L);
        assertThat(pending()).isFalse();
    }
}
