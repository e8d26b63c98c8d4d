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
    /**
     * Quorum mode, only with {@code --majority-faults}: a majority of the masters killed and
     * restarted at once without persistence. Outside the quorum lock's failure model, and accounted
     * for like {@link #REDIS_RESTART}: holds that span it are exempt from the overlap check (but must
     * be told if they ran on after it), and the fencing-token order is checked only within the
     * stretches between such windows.
     */
    public static final String MAJORITY_RESTART = "MAJORITY_RESTART";

    /**
     * Cluster mode: a master failed (killed, or stopped past the node timeout) and its replica was
     * promoted; the window runs from the failure to the cluster being stable again, and its
     * {@code detail} names the failed master's slots ({@code slots=a-b[+c-d...]}). A hold the replica
     * had not received is gone on the new master, so holds of a name in those slots that overlap the
     * window are exempt from the overlap check, but never from the unreported-loss check (an overtaken
     * hold must have been told) nor from the token order.
     */
    public static final String FAILOVER = "FAILOVER";

    /** Whether this window is a Cluster failover whose failed master served {@code slot}. */
    public boolean failoverOf(int slot) {
        if (!FAILOVER.equals(type)) {
            return false;
        }
        int at = detail.indexOf("slots=");
        if (at < 0) {
            return true; // no slots recorded: the failover may have hit any
        }
        String ranges = detail.substring(at + "slots=".length()).split("[ _]", 2)[0];
        for (String range : ranges.split("\\+")) {
            String[] ends = range.split("-");
            if (Integer.parseInt(ends[0]) <= slot && slot <= Integer.parseInt(ends[ends.length - 1])) {
                return true;
            }
        }
        return false;
    }

    /** Whether the locks' keys were forgotten in this window (a standalone restart, or a quorum's majority). */
    public boolean forgetsLocks() {
        return REDIS_RESTART.equals(type) || MAJORITY_RESTART.equals(type);
    }

    /** Whether this window breaks the quorum's token order (a majority of the masters lost their data). */
    public boolean cutsTokenOrder() {
        return MAJORITY_RESTART.equals(type);
    }

    /** The history line of this fault. */
    public String line() {
        return "FAULT " + type + " " + start + " " + end + " " + (detail.isEmpty() ? "-" : detail.replace(' ', '_'));
    }

    /** Whether {@code [from, to]} intersects this window. */
    public boolean overlaps(long from, long to) {
        return from <= end && start <= to;
    }
}
