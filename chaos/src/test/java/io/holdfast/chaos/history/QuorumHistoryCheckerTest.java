package io.holdfast.chaos.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The checker's quorum and multi-lock rules bite: hand-written histories with one known defect each
 * (as {@link HistoryCheckerTest}), and the clean ones they are variations of.
 */
class QuorumHistoryCheckerTest {

    private static final long MS = 1_000_000;

    private final History history = new History();

    /** A quorum hold ({@code Q}) granted by {@code granted} of 5 masters. */
    private QuorumHistoryCheckerTest q(long pid, long token, long startMs, long endMs, long believedMs, String outcome,
                                       long lostMs, int granted) {
        return add(new Hold(pid, "t1", "q0", 'Q', token, startMs * MS, endMs * MS, believedMs * MS, outcome,
                lostMs < 0 ? -1 : lostMs * MS, "Q" + granted + "/5"));
    }

    /** One group hold of a multi-lock: one line per member {@code name:role:token}. */
    private QuorumHistoryCheckerTest multi(long pid, long id, long startMs, long endMs, long believedMs, String outcome,
                                           long lostMs, String... members) {
        for (String m : members) {
            String[] p = m.split(":");
            add(new Hold(pid, "t1", p[0], p[1].charAt(0), Long.parseLong(p[2]), startMs * MS, endMs * MS,
                    believedMs * MS, outcome, lostMs < 0 ? -1 : lostMs * MS, "M" + id + "/" + members.length));
        }
        return this;
    }

    /** A single holder of one member lock. */
    private QuorumHistoryCheckerTest single(long pid, String lock, char role, long token, long startMs, long endMs) {
        return add(new Hold(pid, "t2", lock, role, token, startMs * MS, endMs * MS, endMs * MS + 2000 * MS, Hold.OK, -1));
    }

    private QuorumHistoryCheckerTest fault(String type, long startMs, long endMs) {
        history.add(Event.parse(new FaultWindow(type, startMs * MS, endMs * MS, "masters [0, 1, 2]").line()));
        return this;
    }

    private QuorumHistoryCheckerTest add(Hold h) {
        history.add(Event.parse(h.line())); // through the line format, as the runner reads it
        return this;
    }

    private CheckResult check() {
        return HistoryChecker.check(history);
    }

    @Test
    void cleanQuorumAndMultiLockHistory_hasNoFindings() {
        q(1, 10, 0, 100, 2000, Hold.OK, -1, 5).q(2, 11, 110, 200, 2100, Hold.OK, -1, 3);
        multi(1, 1, 0, 100, 2000, Hold.OK, -1, "m0:X:5", "m3:R:6");
        multi(2, 1, 0, 100, 2000, Hold.OK, -1, "m1:X:7", "m3:R:8"); // two readers of m3 may share
        multi(3, 1, 110, 200, 2000, Hold.OK, -1, "m0:X:9", "m1:X:10", "m3:W:11");
        single(1, "m0", 'X', 12, 210, 300);
        CheckResult r = check();
        assertThat(r.hasFindings()).as(r.toString()).isFalse();
        assertThat(r.holdsByRole()).containsEntry('Q', 2);
        assertThat(r.groups()).containsEntry("multi-lock holds of 2 members", 2)
                .containsEntry("multi-lock holds of 3 members", 1).containsEntry("quorum holds granted by 3/5 masters", 1);
    }

    @Test
    void twoQuorumHoldersBothBelievingTheirValidity_isAnOverlap() {
        q(1, 10, 0, 500, 2000, Hold.OK, -1, 3).q(2, 11, 300, 400, 2300, Hold.OK, -1, 3);
        CheckResult r = check();
        assertThat(r.overlaps()).singleElement().asString().contains("q0 Q token 10").contains("q0 Q token 11");
        assertThat(r.unreportedLosses()).hasSize(1);
    }

    @Test
    void aMinorityOfMastersRestarted_exemptsNothing() {
        // a minority kept out for a lease and restarted is inside the failure model: the overlap stands
        q(1, 10, 0, 500, 2000, Hold.OK, -1, 3).q(2, 11, 300, 400, 2300, Hold.OK, -1, 3);
        fault("MASTER_RESTART", 200, 250);
        CheckResult r = check();
        assertThat(r.overlaps()).hasSize(1);
        assertThat(r.exemptHolds()).isZero();
    }

    @Test
    void aMajorityRestart_exemptsTheHoldsThatSpanIt_butTheyMustBeTold() {
        q(1, 10, 0, 500, 2000, Hold.OK, -1, 5).q(2, 11, 300, 400, 2300, Hold.OK, -1, 3);
        fault(FaultWindow.MAJORITY_RESTART, 200, 250);
        CheckResult r = check();
        assertThat(r.overlaps()).isEmpty();
        assertThat(r.exemptHolds()).isEqualTo(1);
        assertThat(r.unreportedLosses()).singleElement().asString().contains("restart").contains("1/t1 q0 Q token 10");
    }

    @Test
    void aQuorumTokenBelowAnEarlierHolders_isATokenViolation_unlessAMajorityRestartLiesBetween() {
        q(1, 20, 0, 100, 2000, Hold.OK, -1, 5).q(2, 19, 300, 400, 2300, Hold.OK, -1, 5);
        assertThat(check().tokenViolations()).singleElement().asString().contains("token 19").contains("token 20");
        fault("MASTER_RESTART", 150, 200); // a minority: the order still must hold
        assertThat(check().tokenViolations()).hasSize(1);
        fault(FaultWindow.MAJORITY_RESTART, 150, 200); // a majority forgot: the order restarts
        assertThat(check().tokenViolations()).isEmpty();
    }

    @Test
    void aMultiLockBelievingItHeldAMemberThatASingleHolderHad_isAnOverlap_andAnUnreportedGroupLoss() {
        // not all-or-none: the group believed it held m1 while another client held m1 alone
        multi(1, 1, 0, 500, 2000, Hold.OK, -1, "m0:X:5", "m1:X:6");
        single(2, "m1", 'X', 7, 300, 400);
        CheckResult r = check();
        assertThat(r.overlaps()).singleElement().asString().contains("m1 X token 6").contains("m1 X token 7");
        assertThat(r.unreportedLosses()).singleElement().asString().contains("1/t1 m1 X token 6");
    }

    @Test
    void aGroupTold_ofItsLoss_isNoFinding_whenAMemberWentToSomeoneElseAfterIt() {
        multi(1, 1, 0, 500, 2000, Hold.LOST, 250, "m0:X:5", "m1:X:6");
        single(2, "m1", 'X', 7, 300, 400);
        CheckResult r = check();
        assertThat(r.hasFindings()).as(r.toString()).isFalse();
    }

    @Test
    void aWriteMemberDuringAnotherGroupsReadOfIt_isAnOverlap() {
        multi(1, 1, 0, 500, 2000, Hold.OK, -1, "m0:X:5", "m3:R:6");
        multi(2, 1, 100, 200, 2000, Hold.OK, -1, "m1:X:7", "m3:W:8");
        assertThat(check().overlaps()).singleElement().asString().contains("m3");
    }

    @Test
    void aGroupHoldWithAMissingMemberLine_isAGroupShapeViolation() {
        add(new Hold(1, "t1", "m0", 'X', 5, 0, 100 * MS, 2000 * MS, Hold.OK, -1, "M1/2"));
        assertThat(check().groupViolations()).singleElement().asString().contains("declares 2 members").contains("1 member lines");
        assertThat(check().hasFindings()).isTrue();
    }

    @Test
    void groupMembersThatDisagreeOnTheGroupsOutcome_isAGroupShapeViolation() {
        add(new Hold(1, "t1", "m0", 'X', 5, 0, 100 * MS, 2000 * MS, Hold.OK, -1, "M1/2"));
        add(new Hold(1, "t1", "m1", 'X', 6, 0, 100 * MS, 2000 * MS, Hold.LOST, -1, "M1/2"));
        assertThat(check().groupViolations()).singleElement().asString().contains("member m1 does not share");
    }

    @Test
    void theSameMemberTwiceInOneGroupHold_isAGroupShapeViolation() {
        multi(1, 1, 0, 100, 2000, Hold.OK, -1, "m0:X:5", "m0:X:6");
        assertThat(check().groupViolations()).singleElement().asString().contains("of 1 names");
    }

    @Test
    void aHoldLineWithoutAGroupField_stillParses_asInOlderHistories() {
        Event e = Event.parse("HOLD 1 t1 x X 10 0 100 2000 OK -1");
        assertThat(((Event.HoldEvent) e).hold().group()).isEqualTo(Hold.NO_GROUP);
        assertThat(e.line()).isEqualTo("HOLD 1 t1 x X 10 0 100 2000 OK -1");
    }
}
