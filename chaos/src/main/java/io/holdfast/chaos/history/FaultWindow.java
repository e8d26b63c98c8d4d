package io.holdfast.chaos.history;

/**
 * A fault in force from {@code start} to {@code end} ({@code nanoTime}), including the time its
 * effect lasts (for a paused or killed holder: until its lease ran out on the server).
 *
 * @param type the fault type, e.g. {@code SIGSTOP}; {@link #REDIS_RESTART} exempts the holds that
 *     span it from the overlap check (the restarted server forgot them)
 */
public record FaultWindow(String type, long start, long end, String detail) {

    /** Redis was killed and restarted without persistence: every lock key is gone. */
    public static final String REDIS_RESTART = "REDIS_RESTART";

    /** The history line of this fault. */
    public String line() {
        return "FAULT " + type + " " + start + " " + end + " " + (detail.isEmpty() ? "-" : detail.replace(' ', '_'));
    }

    /** Whether {@code [from, to]} intersects this window. */
    public boolean overlaps(long from, long to) {
        return from <= end && start <= to;
    }
}
