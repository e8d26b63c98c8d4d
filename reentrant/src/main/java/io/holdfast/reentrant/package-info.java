/**
 * The reentrant exclusive lock ({@code Holdfast.getLock}) and the queued exclusive lock it shares
 * with the fair lock: the server-side queue of waiters, the hand-over at release, the waiters'
 * queue places, and their Lua scripts (next to these classes: {@code acquire.lua},
 * {@code release.lua}, {@code abandon.lua}, {@code force-unlock.lua}, {@code renew-places.lua},
 * sharing {@code queue.lua} and core's {@code hash-hold.lua} by inclusion; and, for a level above
 * the first, {@code reenter.lua} and {@code count-down.lua}, on the lock key alone).
 *
 * <p>{@link io.holdfast.reentrant.QueuedHashKind} is the queued lock; its two variants differ by
 * one predicate, whether a free lock goes to whoever asks (this module's default lock, barging) or
 * only to the head of the queue (the {@code fair} module, the one module that depends on this
 * one).
 */
package io.holdfast.reentrant;
