package io.holdfast;

import java.util.List;

/**
 * What one lock looks like on the server at one moment, as {@link LockInspector} read it: who holds
 * it, with how many levels and how much lease left, who waits for it, and which process each of
 * them is. A snapshot read with a handful of plain read commands (not atomic: a lock that changes
 * while it is read may show a mix of two moments).
 *
 * @param name the lock's name
 * @param key the lock's main key
 * @param kind {@code "exclusive"} (a reentrant or fair lock: they share one layout and one key per
 *     name, so the server cannot tell them apart), {@code "read-write"}, or {@code "free"} (no key:
 *     nobody holds it; waiters may still be queued)
 * @param mode a read-write lock's {@code "read"} or {@code "write"}; {@code "held"} or {@code "free"}
 *     for the others
 * @param leaseRemainingMillis the main key's remaining time to live ({@code PTTL}): -2 if there is
 *     none, -1 if it does not expire
 * @param lastFencingToken the last fencing token issued in the lock's Cluster slot (a holder's token
 *     is at most this; the server keeps no token per hold), 0 if none was
 * @param holders the holds on the server, with their levels
 * @param waiters the waiters queued on the server for an exclusive lock, first in line first
 *     (readers of a read-write lock do not queue on the server)
 * @param waitingWriters the writers waiting for a read-write lock (their intents), earliest deadline first
 * @param conditions the lock's distributed conditions that have waiters (see
 *     {@link RLock#newCondition(String)}), as {@link LockInspector#inspect} finds them; empty from
 *     {@link LockInspector#scan} (finding them costs a {@code SCAN} per lock)
 * @param serverTimeMillis the server's clock when it was read ({@code TIME}), in ms since the epoch
 */
public record LockState(String name, String key, String kind, String mode, long leaseRemainingMillis,
        long lastFencingToken, List<Holder> holders, List<Waiter> waiters, List<Waiter> waitingWriters,
        List<ConditionWaiters> conditions, long serverTimeMillis) {

    /**
     * The waiters of one distributed condition of the lock: threads blocked in {@code await}, which
     * do not hold the lock meanwhile.
     *
     * @param name the condition's name
     * @param waiters its waiters, the one a {@code signal()} wakes first first; a waiter id is its
     *     holder id + {@code ":c<n>"}
     */
    public record ConditionWaiters(String name, List<Waiter> waiters) {
    }

    /**
     * One hold.
     *
     * @param holderId {@code <client id>:<thread id>} (or {@code :o<owner>} for an owner token)
     * @param role {@code "exclusive"}, {@code "read"} or {@code "write"}
     * @param holdCount the levels held
     * @param leaseRemainingMillis ms left of the hold's lease on the server (-1: no expiry)
     * @param process the process that holds it, as far as the server can tell
     */
    public record Holder(String holderId, String role, int holdCount, long leaseRemainingMillis,
            ClientProcess process) {
    }

    /**
     * One waiter.
     *
     * @param position 1 for the first in line
     * @param holderId the waiting holder's id
     * @param deadlineRemainingMillis ms until the server counts the waiter dead unless it renews its
     *     place (0 or less: dead, skipped when it comes to the head)
     * @param process the process that waits, as far as the server can tell
     */
    public record Waiter(int position, String holderId, long deadlineRemainingMillis, ClientProcess process) {
    }

    /**
     * The process behind a client id, from the client's record and its named connections (see
     * {@link Holdfast#connectionName()}).
     *
     * @param clientId the client id, the first part of a holder id
     * @param host the host it runs on, empty if its record is gone (it stopped a few minutes ago, or
     *     its user may not write it)
     * @param pid its process id, -1 if unknown
     * @param startedMillis when its client connected, ms since the epoch, -1 if unknown
     * @param connectionName the name of its connections, empty if unknown
     * @param connections how many connections with that name are open now, -1 if the server would
     *     not say ({@code CLIENT LIST} not permitted)
     */
    public record ClientProcess(String clientId, String host, long pid, long startedMillis, String connectionName,
            int connections) {
    }
}
