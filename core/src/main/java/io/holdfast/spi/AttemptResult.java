package io.holdfast.spi;

import java.util.List;

/**
 * What one acquisition attempt found. Scripts reply {@code {code, value}} with the codes below,
 * and {@link #parse} reads that reply.
 *
 * @param outcome what happened
 * @param value ACQUIRED: the fencing token; REENTERED: the new hold count; BUSY: how long to wait
 *     at most before trying again, in ms (the holder's remaining lease, or -1 if unknown)
 * @param reason REFUSED: why, for the exception message
 * @param serverMillis BUSY: the server time (ms) of the attempt, if the script reports it, else 0
 * @param placement BUSY, for a kind that queues waiters on the server: the placement the waiter
 *     waits with now (a hand-over is trusted only if it names this one), else null
 * @param memo BUSY: what the kind wants to be given back with the next attempts of this
 *     acquisition ({@link AttemptRequest#memo()}), or null; the engine keeps the latest non-null
 *     one and does not read it
 */
public record AttemptResult(Outcome outcome, long value, String reason, long serverMillis, String placement,
        String memo) {

    public AttemptResult(Outcome outcome, long value, String reason, long serverMillis, String placement) {
        this(outcome, value, reason, serverMillis, placement, null);
    }

    public AttemptResult(Outcome outcome, long value, String reason, long serverMillis) {
        this(outcome, value, reason, serverMillis, null, null);
    }

    /** This result carrying {@code memo} for the next attempts of its acquisition. */
    public AttemptResult withMemo(String memo) {
        return new AttemptResult(outcome, value, reason, serverMillis, placement, memo);
    }

    /** The outcomes, with the code a script returns for each. */
    public enum Outcome {
        /** 1: the lock was free; now held with count 1. */
        ACQUIRED,
        /** 2: the holder held it already; its count went up by one. */
        REENTERED,
        /** 0: somebody else holds it. */
        BUSY,
        /** -1: a re-entry found the holder's hold gone from the server. */
        GONE,
        /** -2: the holder may never get it in its current state (e.g. read-to-write upgrade). */
        REFUSED
    }

    /** Reads a script's {@code {code, value[, reason | server ms[, placement]]}} reply. */
    public static AttemptResult parse(List<Object> reply) {
        long code = (Long) reply.get(0);
        long value = reply.size() > 1 && reply.get(1) instanceof Long v ? v : -1;
        Object third = reply.size() > 2 ? reply.get(2) : null;
        long serverMillis = third instanceof Long ms ? ms : 0;
        String reason = third == null || third instanceof Long ? null : String.valueOf(third);
        Outcome outcome = switch ((int) code) {
            case 1 -> Outcome.ACQUIRED;
            case 2 -> Outcome.REENTERED;
            case 0 -> Outcome.BUSY;
            case -1 -> Outcome.GONE;
            case -2 -> Outcome.REFUSED;
            default -> throw new IllegalStateException("unexpected acquire reply " + reply);
        };
        String placement = reply.size() > 3 && reply.get(3) instanceof String p ? p : null;
        return new AttemptResult(outcome, value, reason, serverMillis, placement);
    }
}
