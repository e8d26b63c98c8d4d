package io.holdfast.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

/**
 * The checker's Cluster rules on synthetic histories: a failover exempts from the overlap check only
 * the names in the failed master's slots, only around its window, and never from the unreported-loss
 * check or the token order.
 */
class ClusterHistoryCheckerTest {

    private static final long MS = 1_000_000;
    private static final int SLOT_OF_X = SlotHash.getSlot("x");

    private static Hold hold(long pid, String lock, long token, long startMs, long endMs, long believedMs, String outcome,
                             long lostMs) {
        return new Hold(pid, "t1", lock, 'X', token, startMs * MS, endMs * MS, believedMs * MS, outcome,
                lostMs < 0 ? -1 : lostMs * MS);
    }

    /** A failover of the master of {@code slots} from 200 to 250 ms, as the harness writes it. */
    private static FaultWindow failover(String slots) {
        return new FaultWindow(FaultWindow.FAILOVER, 200 * MS, 250 * MS,
                "master 7001 killed, 7004 promoted after 2100 ms, old node back as a replica, slots=" + slots);
    }

    private static CheckResult check(FaultWindow window, Hold... holds) {
        History history = new History();
        for (Hold h : holds) {
            history.add(Event.parse(h.line()));
        }
        history.add(Event.parse(window.line()));
        return HistoryChecker.check(history);
    }

    @Test
    void aHoldTheNewMasterLacked_mayOverlapTheNextGrant_butMustHaveBeenTold() {
        String slots = "0-" + (SLOT_OF_X - 1) + "+" + SLOT_OF_X + "-" + (SLOT_OF_X + 3);
        CheckResult told = check(failover(slots),
                hold(1, "x", 10, 0, 500, 2000, Hold.LOST, 450),
                hold(2, "x", 11, 300, 400, 2300, Hold.OK, -1));
        assertThat(told.hasFindings()).isFalse();
        assertThat(told.exemptHolds()).isEqualTo(1);
        assertThat(told.exemptOverlaps()).singleElement().asString().contains("token 10").contains("token 11");

        CheckResult silent = check(failover(slots),
                hold(1, "x", 10, 0, 500, 2000, Hold.OK, -1),
                hold(2, "x", 11, 300, 400, 2300, Hold.OK, -1));
        assertThat(silent.overlaps()).isEmpty();
        assertThat(silent.unreportedLosses()).singleElement().asString().contains("1/t1 x X token 10");
    }

    @Test
    void aFailoverOfAnotherMaster_exemptsNothing() {
        int other = (SLOT_OF_X + 8000) % SlotHash.SLOT_COUNT;
        CheckResult r = check(failover(other + "-" + other),
                hold(1, "x", 10, 0, 500, 2000, Hold.LOST, 450),
                hold(2, "x", 11, 300, 400, 2300, Hold.OK, -1));
        assertThat(r.overlaps()).hasSize(1);
        assertThat(r.exemptHolds()).isZero();
        assertThat(r.exemptOverlaps()).isEmpty();
    }

    @Test
    void holdsOutsideTheFailoverWindow_areNotExempt() {
        CheckResult r = check(failover(SLOT_OF_X + "-" + SLOT_OF_X),
                hold(1, "x", 10, 600, 900, 2600, Hold.LOST, 850),
                hold(2, "x", 11, 700, 800, 2700, Hold.OK, -1));
        assertThat(r.overlaps()).hasSize(1);
    }

    @Test
    void theNewMastersTokens_mustStillBeAboveEveryEarlierHolds() {
        CheckResult r = check(failover(SLOT_OF_X + "-" + SLOT_OF_X),
                hold(1, "x", 10, 0, 150, 2000, Hold.OK, -1),
                hold(2, "x", 9, 300, 400, 2300, Hold.OK, -1));
        assertThat(r.tokenViolations()).singleElement().asString().contains("2/t1 x X token 9");
    }

    @Test
    void failoverOf_readsTheSlotRangesOfTheDetail_asWrittenInTheHistory() {
        FaultWindow parsed = ((Event.FaultEvent) Event.parse(failover("0-10+20-20+5000-5460").line())).fault();
        assertThat(parsed.failoverOf(0)).isTrue();
        assertThat(parsed.failoverOf(10)).isTrue();
        assertThat(parsed.failoverOf(11)).isFalse();
        assertThat(parsed.failoverOf(20)).isTrue();
        assertThat(parsed.failoverOf(5461)).isFalse();
        assertThat(new FaultWindow("MASTER_SIGSTOP", 0, 1, "slots=0-16383").failoverOf(5)).isFalse();
    }

    /**
     * Seed 20261232 (10 minutes, {@code chaos/RESULTS-cluster-seed-20261232.md}): a master stopped past
     * the node timeout was replaced; a write hold granted by the new master inside the failover window,
     * and a read the stopped master granted once continued, before it learned it was replaced (a
     * higher token: its clock; the reply came after that hold's lease, so its holder never believed it,
     * and its unlock reported it lost). The later token did not overtake the write hold, which was
     * never lost: of two holds in the window, one must have been told, not necessarily the earlier.
     */
    @Test
    void twoGrantsInsideAFailoverWindow_needOneOfThemTold_theDeposedMastersToo() {
        String slots = SLOT_OF_X + "-" + SLOT_OF_X;
        CheckResult deposedGrantTold = check(failover(slots),
                hold(1, "x", 10, 210, 240, 2210, Hold.OK, -1),
                hold(2, "x", 11, 220, 225, 100, Hold.LOST, -1));
        assertThat(deposedGrantTold.hasFindings()).isFalse();

        CheckResult neitherTold = check(failover(slots),
                hold(1, "x", 10, 210, 240, 2210, Hold.OK, -1),
                hold(2, "x", 11, 220, 225, 100, Hold.OK, -1));
        assertThat(neitherTold.unreportedLosses()).singleElement().asString().contains("1/t1 x X token 10");

        CheckResult laterGrantAfterTheWindow = check(failover(slots),
                hold(1, "x", 10, 210, 400, 2210, Hold.OK, -1),
                hold(2, "x", 11, 300, 350, 100, Hold.LOST, -1));
        assertThat(laterGrantAfterTheWindow.unreportedLosses()).as("only the earlier hold can have been lost")
                .singleElement().asString().contains("1/t1 x X token 10");
    }
}
