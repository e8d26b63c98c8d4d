package io.holdfast.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker bites: synthetic histories with one known defect each, and a clean one. */
class HistoryCheckerTest {

    private static final long MS = 1_000_000;

    private static Hold hold(long pid, String lock, char role, long token, long startMs, long endMs, long believedMs,
                             String outcome, long lostMs) {
        return new Hold(pid, "t1", lock, role, token, startMs * MS, endMs * MS, believedMs * MS, outcome,
                lostMs < 0 ? -1 : lostMs * MS);
    }

    private static CheckResult check(Hold... holds) {
        History history = new History();
        for (Hold h : holds) {
            history.add(Event.parse(h.line()));
        }
        return HistoryChecker.check(history);
    }

    @Test
    void cleanHistory_hasNoFindings() {
        CheckResult r = check(
                hold(1, "x", 'X', 10, 0, 100, 2000, Hold.OK, -1),
                hold(2, "x", 'X', 11, 110, 200, 2100, Hold.OK, -1),
                hold(1, "rw", 'R', 5, 0, 100, 2000, Hold.OK, -1),
                hold(2, "rw", 'R', 6, 50, 150, 2000, Hold.OK, -1),
                hold(3, "rw", 'W', 7, 160, 200, 2000, Hold.OK, -1),
                hold(1, "rw", 'R', 8, 210, 300, 2000, Hold.OK, -1));
        assertThat(r.hasFindings()).isFalse();
        assertThat(r.holdsByRole()).containsEntry('X', 2).containsEntry('R', 3).containsEntry('W', 1);
    }

    @Test
    void twoHoldersBothBelievingTheirLease_isAnOverlap() {
        CheckResult r = check(
                hold(1, "x", 'X', 10, 0, 500, 2000, Hold.OK, -1),
                hold(2, "x", 'X', 11, 300, 400, 2300, Hold.OK, -1));
        assertThat(r.overlaps()).hasSize(1);
        assertThat(r.overlaps().get(0)).contains("1/t1 x X token 10").contains("2/t1 x X token 11");
        // the first holder was overtaken and never told
        assertThat(r.unreportedLosses()).hasSize(1);
    }

    @Test
    void aWriteDuringAReadOfAnotherHolder_isAnOverlap() {
        CheckResult r = check(
                hold(1, "rw", 'R', 5, 0, 500, 2000, Hold.OK, -1),
                hold(2, "rw", 'W', 6, 100, 200, 2000, Hold.OK, -1));
        assertThat(r.overlaps()).hasSize(1);
    }

    @Test
    void aHolderPastItsBelievedLease_isNoOverlap_butMustBeTold() {
        // explicit lease of 100 ms, critical section of 300 ms: the second grant at 150 ms is allowed
        CheckResult told = check(
                hold(1, "x", 'X', 10, 0, 300, 100, Hold.LOST, -1),
                hold(2, "x", 'X', 11, 150, 200, 2150, Hold.OK, -1));
        assertThat(told.hasFindings()).isFalse();
        CheckResult silent = check(
                hold(1, "x", 'X', 10, 0, 300, 100, Hold.OK, -1),
                hold(2, "x", 'X', 11, 150, 200, 2150, Hold.OK, -1));
        assertThat(silent.overlaps()).isEmpty();
        assertThat(silent.unreportedLosses()).singleElement().asString().contains("1/t1 x X token 10");
    }

    @Test
    void aLossReportedByWhenLost_endsTheBelievedInterval() {
        CheckResult r = check(
                hold(1, "f", 'F', 10, 0, 300, 2000, Hold.OK, 120),
                hold(2, "f", 'F', 11, 150, 200, 2150, Hold.OK, -1));
        assertThat(r.hasFindings()).isFalse();
    }

    @Test
    void aTokenBelowOneIssuedEarlier_isATokenViolation() {
        CheckResult r = check(
                hold(1, "x", 'X', 20, 0, 100, 2000, Hold.OK, -1),
                hold(2, "x", 'X', 19, 110, 200, 2110, Hold.OK, -1));
        assertThat(r.tokenViolations()).singleElement().asString().contains("token 19").contains("token 20");
        assertThat(r.overlaps()).isEmpty();
    }

    @Test
    void aReadTokenBelowAnEarlierWrite_isATokenViolation_butReadsMayShareOrder() {
        CheckResult r = check(
                hold(1, "rw", 'W', 20, 0, 100, 2000, Hold.OK, -1),
                hold(2, "rw", 'R', 15, 110, 200, 2000, Hold.OK, -1),
                hold(3, "rw", 'R', 30, 120, 200, 2000, Hold.OK, -1),
                hold(1, "rw", 'R', 25, 210, 300, 2000, Hold.OK, -1));
        assertThat(r.tokenViolations()).singleElement().asString().contains("token 15");
    }

    @Test
    void anEarlierGrantWhoseReplyCameLate_didNotOvertakeTheHoldItSeemsToStartIn() {
        // seed 20261206: token 10 was granted first, but its reply was delayed past its lease (reported
        // lost to its holder); meanwhile the lock went to token 11, recorded as starting before it
        CheckResult r = check(hold(1, "x", 'X', 11, 100, 160, 2000, Hold.OK, -1),
                hold(2, "x", 'X', 10, 109, 118, 70, Hold.LOST, 600));
        assertThat(r.overlaps()).isEmpty();
        assertThat(r.unreportedLosses()).isEmpty();
        assertThat(r.tokenViolations()).isEmpty();
    }

    @Test
    void holdsAcrossARedisRestart_areExemptFromOverlap_butMustBeReportedLost() {
        CheckResult r = acrossARestartFrom200To250(hold(1, "x", 'X', 10, 0, 500, 2000, Hold.OK, -1));
        assertThat(r.overlaps()).isEmpty();
        assertThat(r.exemptHolds()).isEqualTo(1);
        assertThat(r.unreportedLosses()).singleElement().asString().contains("Redis restart").contains("1/t1");
    }

    @Test
    void aHoldEndedBeforeTheNewServerBegan_needNotBeReportedLost() {
        // unlock() called while no server was there: nobody could be granted during the critical section
        CheckResult r = acrossARestartFrom200To250(hold(3, "x", 'X', 10, 0, 240, 2000, Hold.OK, -1));
        assertThat(r.exemptHolds()).isEqualTo(1);
        assertThat(r.unreportedLosses()).isEmpty();
    }

    /** {@code first}, then another client's hold of {@code x} from 300 to 400 ms, and a restart window 200–250 ms. */
    private static CheckResult acrossARestartFrom200To250(Hold first) {
        History history = new History();
        history.add(Event.parse(first.line()));
        history.add(Event.parse(hold(2, "x", 'X', 11, 300, 400, 2300, Hold.OK, -1).line()));
        history.add(Event.parse(new FaultWindow(FaultWindow.REDIS_RESTART, 200 * MS, 250 * MS, "kill and restart").line()));
        return HistoryChecker.check(history);
    }

    @Test
    void aFreeLockWithAWaiter_reportsTheGap_unlessAFaultWasInForce() {
        Wait waiter = new Wait(2, "t2", "x", 'X', 50 * MS, 900 * MS, "GOT");
        History history = new History().addLines(List.of(
                hold(1, "x", 'X', 10, 0, 100, 2000, Hold.OK, -1).line(),
                new Hold(2, "t2", "x", 'X', 11, 900 * MS, 950 * MS, 2900 * MS, Hold.OK, -1).line(),
                waiter.line(), "some other output"));
        CheckResult r = HistoryChecker.check(history);
        assertThat(r.longestUnclaimedGapNanos()).isEqualTo(800 * MS);
        history.add(Event.parse(new FaultWindow("SIGSTOP", 500 * MS, 600 * MS, "pid 3").line()));
        assertThat(HistoryChecker.check(history).longestUnclaimedGapNanos()).isZero();
    }

    @Test
    void unexpectedExceptions_areFindings() {
        History history = new History().addLines(List.of("ERR 1 t1 unlock java.lang.IllegalStateException"));
        CheckResult r = HistoryChecker.check(history);
        assertThat(r.hasFindings()).isTrue();
        assertThat(r.unexpectedErrors()).containsEntry("unlock: java.lang.IllegalStateException", 1);
    }
}
