package io.holdfast.chaos.history;

import java.util.Arrays;

/**
 * One line of a chaos history. Every line is space-separated words, the first naming its kind:
 * <pre>
 * HOLD pid owner lock role token start end believedUntil outcome lostAt
 * WAIT pid owner lock role start end outcome
 * FAULT type start end detail
 * ERR  pid owner where exceptionType
 * </pre>
 * Times are {@link System#nanoTime()} readings (one clock for every process on one Linux machine);
 * {@code lostAt} is {@code -1} when no loss was reported. {@link #parse} returns {@code null} for a
 * line that is no event (a child's other output), so whole files and stdouts can be fed to it.
 */
public sealed interface Event permits Event.HoldEvent, Event.WaitEvent, Event.FaultEvent, Event.ErrorEvent {

    /** The line this event is written as; {@link #parse} reads it back. */
    String line();

    /** Parses one line, or returns {@code null} if it is not an event line. */
    static Event parse(String line) {
        String[] w = line.trim().split(" ");
        try {
            return switch (w[0]) {
                case "HOLD" -> new HoldEvent(Hold.of(w));
                case "WAIT" -> new WaitEvent(new Wait(Long.parseLong(w[1]), w[2], w[3], w[4].charAt(0),
                        Long.parseLong(w[5]), Long.parseLong(w[6]), w[7]));
                case "FAULT" -> new FaultEvent(new FaultWindow(w[1], Long.parseLong(w[2]), Long.parseLong(w[3]),
                        String.join(" ", Arrays.copyOfRange(w, 4, w.length))));
                case "ERR" -> new ErrorEvent(Long.parseLong(w[1]), w[2], w[3], w[4]);
                default -> null;
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid history line: " + line, e);
        }
    }

    /** A hold: see {@link Hold}. */
    record HoldEvent(Hold hold) implements Event {
        @Override
        public String line() {
            return hold.line();
        }
    }

    /** A waiter's acquisition attempt: see {@link Wait}. */
    record WaitEvent(Wait attempt) implements Event {
        @Override
        public String line() {
            return attempt.line();
        }
    }

    /** A fault in force: see {@link FaultWindow}. */
    record FaultEvent(FaultWindow fault) implements Event {
        @Override
        public String line() {
            return fault.line();
        }
    }

    /** An exception the workload did not expect, where it was thrown ({@code lock}, {@code unlock}, ...). */
    record ErrorEvent(long pid, String owner, String where, String type) implements Event {
        @Override
        public String line() {
            return "ERR " + pid + " " + owner + " " + where + " " + type;
        }
    }
}
