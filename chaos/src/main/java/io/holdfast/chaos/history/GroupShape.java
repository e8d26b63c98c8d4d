package io.holdfast.chaos.history;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The group rules of {@link HistoryChecker} that per-name checks cannot see: a multi-lock hold is
 * written as one line per member, and those lines must make one whole group hold. Also counts the
 * quorum and multi-lock holds for the report.
 */
final class GroupShape {

    private GroupShape() {
    }

    /** One line per group hold whose member lines are missing, repeated, or disagree on the group's times or outcome. */
    static List<String> check(List<Hold> holds) {
        Map<String, List<Hold>> groups = holds.stream().filter(Hold::multiMember)
                .collect(Collectors.groupingBy(Hold::groupKey, LinkedHashMap::new, Collectors.toList()));
        List<String> violations = new ArrayList<>();
        groups.forEach((key, members) -> {
            Hold first = members.get(0);
            Set<String> names = new HashSet<>();
            members.forEach(m -> names.add(m.lock()));
            if (members.size() != first.groupSize() || names.size() != members.size()) {
                violations.add("multi-lock hold " + key + " declares " + first.groupSize() + " members but has "
                        + members.size() + " member lines of " + names.size() + " names " + names);
            }
            for (Hold m : members) {
                if (m.start() != first.start() || m.end() != first.end() || m.believedUntil() != first.believedUntil()
                        || m.lostAt() != first.lostAt() || !m.outcome().equals(first.outcome())) {
                    violations.add("multi-lock hold " + key + ": member " + m.lock() + " does not share the group's"
                            + " times and outcome (" + m.line() + " vs " + first.line() + ")");
                }
            }
        });
        return violations;
    }

    /** Quorum holds by how many masters granted them, multi-lock holds by their number of members. */
    static Map<String, Integer> figures(List<Hold> holds) {
        Map<String, Integer> figures = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Hold h : holds) {
            if (h.group().startsWith("Q")) {
                figures.merge("quorum holds granted by " + h.group().substring(1) + " masters", 1, Integer::sum);
            } else if (h.multiMember() && seen.add(h.groupKey())) {
                figures.merge("multi-lock holds of " + h.groupSize() + " members", 1, Integer::sum);
            }
        }
        return figures;
    }
}
