package io.holdfast.quorum;

import java.util.concurrent.TimeUnit;

/**
 * How a group lock decides: how many of its members it needs, how much clock drift it allows for,
 * how long it waits for one member's answer, and how long it backs off after a split vote.
 *
 * @param label what the lock is called in messages ("quorum lock", "multi-lock")
 * @param needed how many members a hold needs: a majority for the quorum lock, all for the multi-lock
 * @param driftFactor the share of the lease taken off the validity for clock drift between the servers
 * @param driftMillis a fixed allowance taken off as well (timer granularity, scheduling)
 * @param memberTimeoutMillis the longest one attempt on one member is waited for; never more than a
 *     third of the lease
 * @param backoffMillis the longest random back-off after a round that took some members but not enough
 * @param unavailableMillis how long rounds in a row may find fewer members answering than are
 *     needed before the acquisition fails with {@link io.holdfast.RedisUnavailableException}, whether
 *     it waits or not (a slow master is not a dead one: a loaded machine can miss one timeout)
 * @param firstMemberFirst whether an acquisition takes the first member (in member order) before
 *     it tries the others (the multi-lock, which needs all: a newcomer that finds the first member
 *     taken queues there at once instead of taking others and splitting them with the waiter the
 *     first member's queue chose); otherwise every member is tried at once (the quorum lock, where
 *     a newcomer's few votes do not keep the queue's choice from a majority). While the lock last
 *     found its first member free, it tries every member at once even so ({@link Group#firstMemberBusy()}):
 *     with nobody to split with, taking the first member alone only costs a round trip
 */
record Policy(String label, int needed, double driftFactor, long driftMillis, long memberTimeoutMillis,
        long backoffMillis, long unavailableMillis, boolean firstMemberFirst) {

    long unavailableNanos() {
        return TimeUnit.MILLISECONDS.toNanos(unavailableMillis);
    }

    /** The drift allowance for a lease of {@code leaseMillis}: {@code driftFactor * lease + driftMillis}. */
    long driftNanos(long leaseMillis) {
        return TimeUnit.MILLISECONDS.toNanos(driftMillis) + (long) (TimeUnit.MILLISECONDS.toNanos(leaseMillis) * driftFactor);
    }

    /** The per-member attempt timeout for a lease of {@code leaseMillis}. */
    long memberTimeoutNanos(long leaseMillis) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(1, Math.min(memberTimeoutMillis, leaseMillis / 3)));
    }
}
