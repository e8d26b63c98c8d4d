package io.holdfast.spi;

import java.util.List;

/**
 * What {@link LockKind#tryAll} found: every lock taken, or the first one that was not (and then
 * none of them is held).
 *
 * @param tokens every lock was taken: the fencing token of each, in the order of the requests;
 *     empty otherwise
 * @param notTaken the index (0-based) of the first lock not taken, -1 if every lock was taken
 * @param busy that lock's result (BUSY; REFUSED for a kind that can refuse), null if every lock
 *     was taken
 */
public record AllOrNone(List<Long> tokens, int notTaken, AttemptResult busy) {

    public AllOrNone {
        tokens = List.copyOf(tokens);
    }

    /** Every lock was taken, with these tokens. */
    public static AllOrNone taken(List<Long> tokens) {
        return new AllOrNone(tokens, -1, null);
    }

    /** Lock {@code index} was not taken ({@code result}), so none is held. */
    public static AllOrNone notTaken(int index, AttemptResult result) {
        return new AllOrNone(List.of(), index, result);
    }

    /** Whether every lock was taken. */
    public boolean allTaken() {
        return notTaken < 0;
    }
}
