package io.holdfast.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The overlapping pairs among critical sections, found by one sweep in start order: those that
 * involve a write (or exclusive hold), which a lock must never allow, and pairs of reads.
 */
record Overlaps(List<String> withWrite, long readPairs) {

    static Overlaps of(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingLong(Interval::start));
        List<String> bad = new ArrayList<>();
        long reads = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Interval x = sorted.get(i);
            for (int j = i + 1; j < sorted.size() && sorted.get(j).start() < x.end(); j++) {
                Interval y = sorted.get(j);
                if (x.write() || y.write()) {
                    bad.add(x + " and " + y);
                } else {
                    reads++;
                }
            }
        }
        return new Overlaps(bad, reads);
    }
}
