package io.holdfast.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks first-come-first-served order from outside: every grant records when its thread asked
 * for the lock (the {@code lock()} call), in grant order. An overtake is a grant that went to a
 * request made more than {@link #SLACK_MILLIS} after a request still waiting, i.e. clearly later
 * (a smaller gap can be one client's round trip reaching Redis before another's).
 */
final class FifoCheck {

    static final int SLACK_MILLIS = 5;

    private final List<Long> requestedAt = new ArrayList<>();

    /** Called inside the critical section, so calls are ordered as the grants were. */
    synchronized void granted(long requestNanos) {
        requestedAt.add(requestNanos);
    }

    /** Grants that went to a clearly later request while an earlier one waited. */
    synchronized long overtakes() {
        long slack = SLACK_MILLIS * 1_000_000L;
        long count = 0;
        long earliestLater = Long.MAX_VALUE;
        for (int i = requestedAt.size() - 1; i >= 0; i--) {
            long at = requestedAt.get(i);
            if (earliestLater < at - slack) {
                count++;
            }
            earliestLater = Math.min(earliestLater, at);
        }
        return count;
    }
}
