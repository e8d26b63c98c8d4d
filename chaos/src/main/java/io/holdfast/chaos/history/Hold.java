package io.holdfast.chaos.history;

/**
 * One hold of a lock, from the acquire that returned to the {@code unlock()} that ended it (the
 * outermost level, for nested holds).
 *
 * @param pid process id of the holder's JVM
 * @param owner the holder inside its process (thread or async owner token), unique per process
 * @param lock the lock name
 * @param role {@code X} exclusive (default lock), {@code F} fair, {@code R} read, {@code W} write,
 *     {@code Q} quorum lock
 * @param token the fencing token of the hold
 * @param start {@code nanoTime} right after the acquire returned
 * @param end {@code nanoTime} right before the (outermost) {@code unlock()} was called
 * @param believedUntil {@code Lease.validUntilNanos()} read right before that unlock: the holder's
 *     own belief of how long its hold was valid
 * @param outcome how the hold ended: {@link #OK}, {@link #LOST} (unlock threw
 *     {@code LockLostException}) or {@code FAIL:<exception type>}
 * @param lostAt {@code nanoTime} at which {@code Lease.whenLost()} completed, {@code -1} if never
 *     (before the history was written)
 * @param group {@link #NO_GROUP} for a plain hold; for one member of a multi-lock hold
 *     {@code M<id>/<members>} (every member of that group hold writes a line with the same id, its
 *     own name, role and token, and the group's times and outcome); for a quorum hold
 *     {@code Q<granted>/<masters>} (how many masters granted it)
 */
public record Hold(long pid, String owner, String lock, char role, long token, long start, long end,
                   long believedUntil, String outcome, long lostAt, String group) {

    /** The group field of a hold that belongs to no group. */
    public static final String NO_GROUP = "-";

    /** A hold of no group (the history format before the quorum workload). */
    public Hold(long pid, String owner, String lock, char role, long token, long start, long end, long believedUntil,
                String outcome, long lostAt) {
        this(pid, owner, lock, role, token, start, end, believedUntil, outcome, lostAt, NO_GROUP);
    }

    /** Unlock returned normally. */
    public static final String OK = "OK";
    /** Unlock threw {@code LockLostException}. */
    public static final String LOST = "LOST";

    static Hold of(String[] w) {
        return new Hold(Long.parseLong(w[1]), w[2], w[3], w[4].charAt(0), Long.parseLong(w[5]), Long.parseLong(w[6]),
                Long.parseLong(w[7]), Long.parseLong(w[8]), w[9], Long.parseLong(w[10]), w.length > 11 ? w[11] : NO_GROUP);
    }

    /** Whether this line is one member of a multi-lock hold. */
    public boolean multiMember() {
        return group.startsWith("M");
    }

    /** For a multi-lock member line: the group hold it belongs to, {@code pid/owner/M<id>}. */
    public String groupKey() {
        return pid + "/" + owner + "/" + group.substring(0, group.indexOf('/'));
    }

    /** For a multi-lock member line: how many members the group hold has. */
    public int groupSize() {
        return Integer.parseInt(group.substring(group.indexOf('/') + 1));
    }

    /** The history line of this hold. */
    public String line() {
        return "HOLD " + pid + " " + owner + " " + lock + " " + role + " " + token + " " + start + " " + end + " "
                + believedUntil + " " + outcome + " " + lostAt + (NO_GROUP.equals(group) ? "" : " " + group);
    }

    /** The holder and lock, for reports: {@code pid/owner lock role token}. */
    public String who() {
        return pid + "/" + owner + " " + lock + " " + role + " token " + token;
    }

    /** Whether this hold excludes every other hold of its lock ({@code X}, {@code F}, {@code W}, {@code Q}). */
    public boolean exclusive() {
        return role != 'R';
    }

    /** Whether two holds of the same lock may not be held at once (at least one is exclusive). */
    public boolean conflictsWith(Hold other) {
        return lock.equals(other.lock) && (exclusive() || other.exclusive())
                && !(pid == other.pid && owner.equals(other.owner));
    }

    /**
     * The end of the interval in which the holder believed its hold valid:
     * {@code min(end, believedUntil, lostAt)}.
     */
    public long believedEnd() {
        long e = Math.min(end, believedUntil);
        return lostAt >= 0 ? Math.min(e, lostAt) : e;
    }

    /** Whether the holder was told its hold was lost (whenLost fired, or unlock threw LockLostException). */
    public boolean lossReported() {
        return lostAt >= 0 || LOST.equals(outcome);
    }
}
