package io.holdfast.chaos.history;

/**
 * One acquisition attempt of a waiter, from the call to its return.
 *
 * @param outcome {@code GOT}, {@code TIMEOUT} (a timed attempt gave up) or {@code FAIL:<type>}
 */
public record Wait(long pid, String owner, String lock, char role, long start, long end, String outcome) {

    /** The history line of this wait. */
    public String line() {
        return "WAIT " + pid + " " + owner + " " + lock + " " + role + " " + start + " " + end + " " + outcome;
    }
}
