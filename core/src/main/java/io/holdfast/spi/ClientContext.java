package io.holdfast.spi;

import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.Ticker;
import io.netty.util.Timer;
import java.util.function.Function;

/**
 * What a lock kind (and the watchdog) sees of the {@code Holdfast} client that made it: its
 * options, clock, timer and command connection, lock keys, and a factory for the engine's
 * {@link RLock} over a kind. The engine behind it (waiting, hold registry, pub/sub, undo of lost
 * replies) is internal to {@code io.holdfast.core}.
 */
public interface ClientContext {

    /** The random id of this client; the first half of every holder id it uses. */
    String clientId();

    /** The options the client was built with. */
    HoldfastOptions options();

    /**
     * Where the engine and the watchdog report what locks do: the user's
     * {@link HoldfastOptions#observer()}, called off the I/O threads, in order, never throwing.
     *
     * @return the client's observer (a no-op one if the user set none)
     */
    HoldfastObserver observer();

    /** The client's command connection. */
    RedisGateway redis();

    /** The timer delayed work runs on: the user's ({@link HoldfastOptions#timer()}), or the client's own. */
    Timer timer();

    /**
     * The client's one clock ({@link HoldfastOptions#ticker()}): every deadline and validity the
     * engine, the kinds and the watchdog compare with each other is a reading of it.
     */
    Ticker ticker();

    /**
     * The watchdog that renews what a kind registers with it (e.g. wait markers), or {@code null}
     * when no watchdog module is on the class path.
     *
     * @return the client's lease keeper
     */
    LeaseKeeper keeper();

    /**
     * The watchdog found the wait marker of waiting acquisition {@code id} gone (see
     * {@link WaitMarkers#WaitMarkers(ClientContext, String)}): the engine makes that acquisition, if
     * it still waits, ask the server at once, since a waiter may park long while another waiter of
     * the client looks at the lock for it. By default nothing.
     *
     * @param id the lock, role and holder of the waiting acquisition
     */
    default void waitMarkerGone(HoldKey id) {
    }

    /**
     * Keys of lock {@code name} under this client's prefix.
     *
     * @param name the lock name a user gave
     * @return the lock's keys
     * @throws IllegalArgumentException if the name is empty or would produce another lock's key
     *     (a kind's reserved key suffix)
     */
    LockKeys keys(String name);

    /**
     * One shared instance per client of a kind's helper, e.g. its {@link LockKind}.
     *
     * @param <T> the helper's type
     * @param type the helper's class, the key of the instance
     * @param factory makes the instance on first use
     * @return the client's one instance
     */
    <T> T component(Class<T> type, Function<ClientContext, T> factory);

    /**
     * Whether this client has hold {@code id} now (live, or lost and not yet unlocked). A local
     * answer, no round trip.
     *
     * @param id the lock key, role and holder
     * @return whether the client's hold registry has it
     */
    boolean holdsLocally(HoldKey id);

    /**
     * The engine's blocking and asynchronous {@link RLock} for one lock of {@code kind}: no state of
     * its own; holds live in the client's registry, so two objects for one name act as one lock.
     *
     * @param kind the lock's scripts and reply reading
     * @param keys the lock's keys, from {@link #keys(String)}
     * @return the lock
     */
    RLock newLock(LockKind kind, LockKeys keys);
}
