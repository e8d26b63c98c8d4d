package io.holdfast.chaos.history;

import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a merged {@link History} against the promises of the failure model, per lock name:
 * <ul>
 * <li><b>overlap</b>: two conflicting holds (X/F against any hold of the same name; W against any
 *     hold of the rw name) whose believed-valid intervals {@code [start, believedEnd]} intersect.
 *     Holds that span a {@link FaultWindow#REDIS_RESTART} are exempt (the server forgot them; the
 *     failure model does not cover it) but must be reported lost if they still ran once the new
 *     server had begun (the window's end).
 * <li><b>token order</b>: a hold that was believed valid when it started has a fencing token
 *     greater than every conflicting hold of the name that ended before it started (for exclusive
 *     locks: strictly increasing in grant order; for rw: a write above every earlier hold, a read
 *     above every earlier write). A hold that was never believed valid (its reply came after its
 *     lease) is only checked as the earlier side.
 * <li><b>unreported loss</b>: a hold during whose real interval {@code [start, end]} a conflicting
 *     hold started, granted after it (a higher fencing token: the server's grant order, where the
 *     clients' receipt times may invert it), must have been told (whenLost, or unlock threw LockLostException); listed once
 *     per overtaken hold, saying whether the other grant came past the holder's own deadline.
 * <li><b>liveness</b>: the longest gap, outside every fault window, between the end of all holds
 *     of a name and its next grant while some waiter of the name waited through the whole gap.
 * </ul>
 * Holds of one owner never conflict with each other (a nested or downgraded hold is its own).
 *
 * <p><b>Quorum lock</b> (role {@code Q}): checked by the same rules as an exclusive lock, over the
 * {@code Lease} validity the quorum hold reports (the majority's, less the drift allowance). A
 * {@link FaultWindow#MAJORITY_RESTART} (a majority of the masters restarted empty, only with
 * {@code --majority-faults}) is accounted for like a standalone {@link FaultWindow#REDIS_RESTART}
 * (spanning holds exempt from overlap, told if they ran on after it) and also cuts the token order:
 * tokens are compared only between holds that lie inside one stretch between two such windows
 * (a hold that intersects one is not token-checked). Faults on a minority of the masters (a restart
 * among them, kept out for one lease before it rejoins) exempt nothing.
 *
 * <p><b>Cluster</b> ({@code --cluster}): every name lives in one hash slot, so the rules above per
 * name are the rules per slot (fencing tokens are issued per slot: the token key of the name's
 * slot). A {@link FaultWindow#FAILOVER} (a master killed, or stopped past the node timeout, and its
 * replica promoted) may lose the holds the replica had not received: a pair of holds of a name in
 * the failed master's slots is exempt from the overlap check when either hold overlaps that window
 * (the old holder believed its hold while the new master granted it again). Nothing else is exempt:
 * the overtaken hold must still have been told (unreported losses; when both holds lie in the window,
 * one of the two must have been told, since a master that was stopped and continued may still grant
 * before it learns it was replaced, so the later token need not come from the master that kept the
 * earlier hold: the failover lost whichever of the two the new master lacks), the new master's tokens must
 * still be above every earlier hold's (the token order is not cut: the token is the server's clock
 * or the slot's last token + 1, and the masters share one machine clock), and faults that lose no
 * write (a master stopped shorter than the node timeout, {@code CLIENT PAUSE}, a slot migration,
 * every proxy fault) exempt nothing.
 *
 * <p><b>Multi-lock</b>: a group hold is written as one line per member (its own name, role and
 * token; the group's times, outcome and loss). Each member line is then checked by the rules above
 * against every other holder of that member's name, multi-locks and single holders alike: that is
 * all-or-none (a group that believed it held a member while someone else did overlaps) and the
 * group's loss being reported (a group overtaken on any one member must have been told, and it is
 * one report for all). On top, <b>group shape</b>: every group hold has exactly its declared number
 * of member lines, of distinct names, all with the same times and outcome.
 */
public final class HistoryChecker {

    private static final int MAX_LINES = 10_000;

    private HistoryChecker() {
    }

    /** Checks {@code history}; never throws on a finding. */
    public static CheckResult check(History history) {
        List<String> overlaps = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> unreported = new ArrayList<>();
        List<String> exemptOverlaps = new ArrayList<>();
        long[] longest = {0};
        String[] where = {"-"};
        int[] exempt = {0};
        Map<String, List<Hold>> byName = history.holds.stream()
                .collect(Collectors.groupingBy(Hold::lock, TreeMap::new, Collectors.toList()));
        Map<String, List<Wait>> waitsByName = history.waits.stream().collect(Collectors.groupingBy(Wait::lock));
        List<FaultWindow> restarts = history.faults.stream().filter(FaultWindow::forgetsLocks).toList();
        List<FaultWindow> allFailovers = history.faults.stream().filter(f -> FaultWindow.FAILOVER.equals(f.type())).toList();
        List<FaultWindow> cuts = history.faults.stream().filter(FaultWindow::cutsTokenOrder)
                .sorted(Comparator.comparingLong(FaultWindow::start)).toList();
        byName.forEach((name, holds) -> {
            holds.sort(Comparator.comparingLong(Hold::start));
            int slot = SlotHash.getSlot(name);
            List<FaultWindow> failovers = allFailovers.stream().filter(f -> f.failoverOf(slot)).toList();
            for (Hold h : holds) {
                if (spansRestart(h, failovers)) {
                    exempt[0]++;
                }
                if (spansRestart(h, restarts)) {
                    exempt[0]++;
                    if (!h.lossReported() && ranOnAfterRestart(h, restarts)) {
                        add(unreported, "held across a Redis restart, never told: " + h.who() + span(h));
                    }
                }
            }
            checkPairs(holds, restarts, failovers, overlaps, exemptOverlaps, unreported);
            for (List<Hold> stretch : stretches(holds, cuts)) {
                checkTokens(stretch, tokens);
            }
            long[] gap = longestGap(holds, waitsByName.getOrDefault(name, List.of()), history.faults);
            if (gap[0] > longest[0]) {
                longest[0] = gap[0];
                where[0] = name + " from " + gap[1] + " to " + (gap[1] + gap[0]);
            }
        });
        Map<String, Integer> errors = new TreeMap<>();
        history.errors.forEach(e -> errors.merge(e.where() + ": " + e.type(), 1, Integer::sum));
        Map<Character, Integer> roles = new TreeMap<>();
        history.holds.forEach(h -> roles.merge(h.role(), 1, Integer::sum));
        return new CheckResult(overlaps, tokens, unreported, errors, longest[0], where[0], roles, exempt[0],
                GroupShape.check(history.holds), GroupShape.figures(history.holds), exemptOverlaps);
    }

    /**
     * The holds (sorted by start) split into the stretches between token-cutting windows; a hold that
     * intersects such a window is in none. Without such windows: all the holds, one stretch.
     */
    private static List<List<Hold>> stretches(List<Hold> byStart, List<FaultWindow> cuts) {
        if (cuts.isEmpty()) {
            return List.of(byStart);
        }
        List<List<Hold>> stretches = new ArrayList<>();
        for (int i = 0; i <= cuts.size(); i++) {
            stretches.add(new ArrayList<>());
        }
        for (Hold h : byStart) {
            if (cuts.stream().anyMatch(c -> c.overlaps(h.start(), h.end()))) {
                continue;
            }
            int before = (int) cuts.stream().filter(c -> c.end() < h.start()).count();
            stretches.get(before).add(h);
        }
        return stretches;
    }

    private static boolean spansRestart(Hold h, List<FaultWindow> restarts) {
        return restarts.stream().anyMatch(r -> r.overlaps(h.start(), h.end()));
    }

    /**
     * Whether {@code h} spans a restart and was still running when the new server began: only then
     * could someone else be granted the lock while {@code h} believed it held it. A hold whose holder
     * called {@code unlock()} while no server was there finished its critical section unharmed.
     */
    private static boolean ranOnAfterRestart(Hold h, List<FaultWindow> restarts) {
        return restarts.stream().anyMatch(r -> r.overlaps(h.start(), h.end()) && h.end() > r.end());
    }

    /** Overlap and unreported-loss checks over every pair whose real intervals intersect (sorted by start). */
    private static void checkPairs(List<Hold> holds, List<FaultWindow> restarts, List<FaultWindow> failovers,
                                   List<String> overlaps, List<String> exemptOverlaps, List<String> unreported) {
        for (int i = 0; i < holds.size(); i++) {
            Hold a = holds.get(i);
            boolean silent = false;
            for (int j = i + 1; j < holds.size() && holds.get(j).start() <= a.end(); j++) {
                Hold b = holds.get(j);
                if (!a.conflictsWith(b)) {
                    continue;
                }
                // b started while a still ran its critical section
                if (b.start() < a.believedEnd() && a.start() < b.believedEnd()
                        && !spansRestart(a, restarts) && !spansRestart(b, restarts)) {
                    String overlap = "overlap of " + ms(Math.min(a.believedEnd(), b.believedEnd()) - b.start()) + ": "
                            + a.who() + span(a) + " and " + b.who() + span(b);
                    add(spansRestart(a, failovers) || spansRestart(b, failovers) ? exemptOverlaps : overlaps, overlap);
                }
                // b overtook a only if the server granted b after a (a higher token): a reply that
                // reached b late can make an earlier grant look like a later one on the clients' clock
                // across a failover both masters may grant (the deposed one until it learns it was replaced):
                // a later token need not come from the master that kept a's hold, so of two holds that both
                // lie in the window, one must have been told: whichever of them the failover lost
                boolean splitBrain = spansRestart(a, failovers) && spansRestart(b, failovers);
                if (!silent && !a.lossReported() && !(splitBrain && b.lossReported()) && b.token() > a.token()
                        && !spansRestart(a, restarts)) {
                    silent = true;
                    add(unreported, a.who() + span(a) + " was never told it lost the lock, but " + b.who()
                            + " got it " + ms(b.start() - a.start()) + " after its start ("
                            + (b.start() >= a.believedEnd() ? "past the holder's own deadline" : "while it believed its lease valid")
                            + ")");
                }
            }
        }
    }

    /** Every hold believed valid at its start has a token above every conflicting hold that ended before it. */
    private static void checkTokens(List<Hold> byStart, List<String> violations) {
        List<Hold> byEnd = new ArrayList<>(byStart);
        byEnd.sort(Comparator.comparingLong(Hold::end));
        int next = 0;
        Hold maxAny = null;
        Hold maxExclusive = null;
        for (Hold h : byStart) {
            while (next < byEnd.size() && byEnd.get(next).end() < h.start()) {
                Hold e = byEnd.get(next++);
                if (maxAny == null || e.token() > maxAny.token()) {
                    maxAny = e;
                }
                if (e.exclusive() && (maxExclusive == null || e.token() > maxExclusive.token())) {
                    maxExclusive = e;
                }
            }
            if (h.believedUntil() <= h.start()) {
                continue;
            }
            Hold bound = h.exclusive() ? maxAny : maxExclusive;
            if (bound != null && h.token() <= bound.token()) {
                add(violations, h.who() + span(h) + " is not above " + bound.who() + span(bound)
                        + ", which ended before it started");
            }
        }
    }

    /** {length, start} of the longest free gap a waiter waited through, outside fault windows. */
    private static long[] longestGap(List<Hold> byStart, List<Wait> waits, List<FaultWindow> faults) {
        List<Wait> waitsByStart = new ArrayList<>(waits);
        waitsByStart.sort(Comparator.comparingLong(Wait::start));
        int nextWait = 0;
        long waitedUntil = Long.MIN_VALUE;
        long[] best = {0, 0};
        long busyUntil = Long.MIN_VALUE;
        for (Hold h : byStart) {
            if (busyUntil != Long.MIN_VALUE && h.start() > busyUntil) {
                long from = busyUntil;
                long to = h.start();
                while (nextWait < waitsByStart.size() && waitsByStart.get(nextWait).start() <= from) {
                    waitedUntil = Math.max(waitedUntil, waitsByStart.get(nextWait++).end());
                }
                if (waitedUntil >= to && to - from > best[0] && faults.stream().noneMatch(f -> f.overlaps(from, to))) {
                    best[0] = to - from;
                    best[1] = from;
                }
            }
            busyUntil = Math.max(busyUntil, h.end());
        }
        return best;
    }

    private static void add(List<String> list, String line) {
        if (list.size() < MAX_LINES) {
            list.add(line);
        } else if (list.size() == MAX_LINES) {
            list.add("... (more not listed)");
        }
    }

    private static String span(Hold h) {
        return " [" + h.start() + ", end +" + ms(h.end() - h.start()) + ", believed +" + ms(h.believedEnd() - h.start())
                + ", " + h.outcome() + (h.lostAt() >= 0 ? ", lost +" + ms(h.lostAt() - h.start()) : "") + "]";
    }

    static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
