package io.holdfast.chaos.history;

import java.util.List;
import java.util.Map;

/**
 * What {@link HistoryChecker} found. Every list holds one readable line per finding.
 *
 * @param overlaps two conflicting holds both believed valid at once
 * @param tokenViolations a hold whose fencing token is not above a token that ended before it started
 * @param unreportedLosses a hold someone else was granted during, never told it was lost
 * @param unexpectedErrors exception types the workload does not expect, with counts
 * @param longestUnclaimedGapNanos longest time a free lock stayed free while a waiter waited
 *     through it, outside fault windows
 * @param longestGap where that gap was
 * @param holdsByRole holds per role letter
 * @param exemptHolds holds that spanned a window in which the server(s) forgot the locks
 * @param groupViolations a multi-lock hold whose member lines do not make one whole group hold
 * @param groups figures of the quorum and multi-lock holds (how many, how many masters granted)
 * @param exemptOverlaps overlaps the failure model allows, not findings: in Cluster mode, two holds of
 *     a name whose master failed over between them (the replica lacked the first); the first must
 *     still have been told (see {@link HistoryChecker})
 */
public record CheckResult(List<String> overlaps, List<String> tokenViolations, List<String> unreportedLosses,
                          Map<String, Integer> unexpectedErrors, long longestUnclaimedGapNanos, String longestGap,
                          Map<Character, Integer> holdsByRole, int exemptHolds, List<String> groupViolations,
                          Map<String, Integer> groups, List<String> exemptOverlaps) {

    /** Whether any safety property failed or an unexpected exception was seen. */
    public boolean hasFindings() {
        return !overlaps.isEmpty() || !tokenViolations.isEmpty() || !unreportedLosses.isEmpty()
                || !unexpectedErrors.isEmpty() || !groupViolations.isEmpty();
    }
}
