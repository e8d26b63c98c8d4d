package io.holdfast.reentrant;

import io.holdfast.spi.AllOrNone;
import io.holdfast.spi.AttemptMode;
import io.holdfast.spi.AttemptResult.Outcome;
import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKeys.KeySuffix;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.Script;
import io.holdfast.spi.ScriptEffect;
import io.holdfast.spi.WaitMarkers;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * The exclusive reentrant locks with a queue of waiters and hand-over: the fair lock, and the
 * default lock, which differs from it only by barging (see below). Both are a hash of holder id →
 * hold count (at most one field) plus, in the same Cluster slot, two keys for the waiters: a
 * queue ZSET of waiting holder ids by arrival and a HASH of their waiter entries, each its deadline
 * and its identity (see {@code queue.lua}). Every key a script touches is passed in {@code KEYS}, a fixed
 * number per lock; no script builds a key name. Joining, refreshing, leaving and handing over cost
 * O(log n) for n queued waiters, never a walk of the queue.
 *
 * <p>Waiting. An attempt that finds the lock busy and will wait joins the tail of the queue once
 * (later attempts only refresh its waiter entry); a {@code tryLock()} without wait never joins.
 *
 * <p>Hand-over. A release at zero does not just free the lock: it grants it to the first live
 * waiter in the same script and publishes {@code "!<token>|<acquisition>|<holder>"}, so that
 * waiter's {@code lock()} returns without another round trip, and nobody else wakes (the
 * releasing client also reads the message from the script's reply and tells its own waiter at
 * once; a waiter of the releasing client is told that way only, with nothing published). The message names the waiter's placement: which acquisition, and which of its stays in
 * the queue (the server picks a new placement whenever it creates the waiter entry), so a late
 * message is trusted neither by the holder's next acquisition nor by the same acquisition after it
 * queued again (a grant that ran out unconfirmed, then another holder, then the late message: two
 * holders at once, if it were trusted).
 * The server grants the lock with the lease the waiter announced in its waiter entry: the shorter of
 * its lease and {@code fairWaiterTimeout} (so a waiter that died just before its turn blocks the
 * lock no longer than a dead waiter would have anyway); the client's watchdog renews a watchdog
 * hold to the full lease at once. The waiter trusts the message only if it can bound the hold's
 * validity well ({@link #handedOverValidUntil}); otherwise, and whenever a message is lost or
 * arrives while an attempt is in flight, one attempt finds the hold granted and grants it again in
 * full on the waiter's own connection.
 *
 * <p>Fair or barging. The fair lock grants a free lock only if no live waiter is queued before the
 * caller. The default lock grants a free lock to whoever asks (barging), queued or not; since a
 * release hands the lock over whenever somebody waits, it is seldom free while waiters are
 * queued, so under contention it passes the lock on in arrival order as well.
 *
 * <p>Dead waiters. While an acquisition waits, its place is a {@link QueuePlace}, kept by the
 * engine's wait-marker lifecycle ({@link io.holdfast.spi.WaitMarkers}): the watchdog renews its
 * waiter entry's deadline (server time + {@code fairWaiterTimeout}) about every half of that
 * timeout. A waiter whose deadline passed is skipped when it comes to the head, by whichever script frees the lock or
 * finds it free; so a dead waiter costs nothing unless it died within {@code fairWaiterTimeout}
 * of its turn, and then at most that long.
 *
 * <p>Giving up ({@link #abandon}): the place is cancelled, then the waiter leaves the queue on the
 * server without disturbing the order of the others, and a hold granted meanwhile is dropped and
 * handed over to the next live waiter.
 *
 * <p>Several locks at once ({@link #tryAll}, the multi-lock's members of one slot): {@code acquire-all.lua}
 * runs the zero-wait attempt of {@code acquire.lua} on each, and if one is busy drops those it took
 * before it in the same call, as an abandon would (a lock freed that way goes to its first live
 * waiter); {@code release-all.lua} releases their last levels in one call ({@link #releaseAll}).
 *
 * <p>Re-entry. A level taken or given back above the first ({@link AttemptMode#REENTER} attempts, and
 * releases that keep at least one level) never touches the queue, the channel or the token: it
 * runs {@code reenter.lua} or {@code count-down.lua}, which take the lock hash alone and include
 * only the hold count. Redis defines every function a script includes each time it runs the
 * script, so the full scripts (18 and 19 helpers) cost a nested level about 2 µs more Redis time
 * (4.5 against 2.6 µs per level, {@code bench/experiments/uncontended/reentry_cost.py}), and five
 * keys and six arguments to encode and parse instead of one and four.
 *
 * <p>Scripts, next to this class: {@code acquire.lua}, {@code acquire-all.lua}, {@code release.lua},
 * {@code release-all.lua}, {@code reenter.lua}, {@code count-down.lua}, {@code unlock-after.lua},
 * {@code abandon.lua}, {@code force-unlock.lua}, {@code renew-places.lua}; they share
 * {@code attempt.lua}, {@code queue.lua}, core's {@code hash-hold.lua} and {@code hash-reenter.lua}
 * by inclusion (see {@link Script}).
 */
public abstract class QueuedHashKind implements LockKind {

    private static final KeySuffix QUEUE = new KeySuffix("queue", false);
    private static final KeySuffix WAITERS = new KeySuffix("waiters", false);

    /**
     * The suffixes of a queued lock's keys, one key each per lock: its queue ZSET and its waiters
     * HASH (see {@code queue.lua}).
     */
    public static final List<KeySuffix> KEY_SUFFIXES = List.of(QUEUE, WAITERS);

    private static final Script ACQUIRE = Script.load(QueuedHashKind.class, "acquire.lua");
    private static final Script ACQUIRE_ALL = Script.load(QueuedHashKind.class, "acquire-all.lua");
    private static final Script RELEASE = Script.load(QueuedHashKind.class, "release.lua");
    private static final Script REENTER = Script.load(QueuedHashKind.class, "reenter.lua");
    private static final Script COUNT_DOWN = Script.load(QueuedHashKind.class, "count-down.lua");
    private static final Script RELEASE_ALL = Script.load(QueuedHashKind.class, "release-all.lua");
    private static final Script ABANDON = Script.load(QueuedHashKind.class, "abandon.lua");
    private static final Script FORCE_UNLOCK = Script.load(QueuedHashKind.class, "force-unlock.lua");
    private static final Script UNLOCK_AFTER = Script.load(QueuedHashKind.class, "unlock-after.lua");
    private static final Script RENEW = Script.load(QueuedHashKind.class, "/io/holdfast/spi/renew-hash.lua");
    private static final Script RENEW_PLAIN = Script.load(QueuedHashKind.class, "/io/holdfast/spi/renew-hash-plain.lua");

    private final ClientContext ctx;

    private final WaitMarkers<QueuePlace> places;
    private final long waiterTimeoutMillis;
    private final String waiterTimeout;
    /** False when holds must be acknowledged by replicas: a hand-over is then confirmed by an attempt. */
    private final boolean trustHandOver;
    private final String barging;

    /** @param barging whether a free lock goes to whoever asks, even with waiters queued (see class doc) */
    protected QueuedHashKind(ClientContext ctx, boolean barging) {
        this.ctx = ctx;
        this.barging = barging ? "barge" : "fair";
        this.waiterTimeoutMillis = ctx.options().fairWaiterTimeout().toMillis();
        this.places = new WaitMarkers<>(ctx, role());
        this.waiterTimeout = Long.toString(waiterTimeoutMillis);
        this.trustHandOver = ctx.options().replicaAcknowledgement().isEmpty();
    }

    @Override
    public boolean queued() {
        return true;
    }

    /** Exclusive, one field per holder: the engine's distributed conditions work on it. */
    @Override
    public boolean supportsConditions() {
        return true;
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(AttemptRequest r) {
        if (r.mode().reentry()) {
            return evalAttempt(REENTER, new String[] {r.keys().key()}, r.holderId(), Long.toString(r.leaseMillis()),
                    r.mode().code(), Integer.toString(r.level()));
        }
        long sent = ctx.ticker().nanoTime();
        String fifth = handOverLease(r.leaseMillis()) + ":" + r.acquisitionId();
        CompletableFuture<AttemptResult> reply = evalAttempt(ACQUIRE, keys(r.keys()),
                r.holderId(), Long.toString(r.leaseMillis()), r.mode().code(), waiterTimeout, fifth, barging);
        if (!r.mode().willWait()) {
            return reply;
        }
        return reply.thenApply(result -> {
            String placement = result.outcome() == Outcome.BUSY ? result.placement() : null;
            HoldKey id = placeId(r.keys(), r.holderId());
            places.afterAttempt(id, placement, sent,
                    () -> new QueuePlace(places, id, r.keys(), placement, waiterTimeoutMillis, sent));
            return placement == null ? result : new AttemptResult(result.outcome(), result.value(), result.reason(),
                    result.serverMillis(), QueuePlace.tag(placement));
        });
    }

    @Override
    public boolean triesAll() {
        return true;
    }

    /** {@code acquire-all.lua}: the locks' keys one lock after another, then each lock's holder id. */
    @Override
    public CompletableFuture<AllOrNone> tryAll(List<AttemptRequest> requests) {
        List<String> keys = new ArrayList<>(requests.size() * KEYS_PER_LOCK);
        List<String> args = new ArrayList<>(requests.size() + 3);
        args.add(Long.toString(requests.get(0).leaseMillis()));
        args.add(waiterTimeout);
        args.add(barging);
        for (AttemptRequest r : requests) {
            if (r.mode() != AttemptMode.TRY || r.leaseMillis() != requests.get(0).leaseMillis()) {
                throw new IllegalArgumentException("tryAll takes zero-wait attempts with one lease: " + r);
            }
            keys.addAll(List.of(keys(r.keys())));
            args.add(r.holderId());
        }
        return ctx.redis().<List<Object>>eval(ACQUIRE_ALL, ScriptOutputType.MULTI, keys.toArray(String[]::new),
                args.toArray(String[]::new)).thenApply(reply -> {
                    if ((Long) reply.get(0) == 1) {
                        return AllOrNone.taken(reply.subList(1, reply.size()).stream().map(t -> (Long) t).toList());
                    }
                    int index = (int) (long) (Long) reply.get(reply.size() - 1) - 1;
                    return AllOrNone.notTaken(index, AttemptResult.parse(reply.subList(0, reply.size() - 1)));
                });
    }

    /** The lease a release may hand the lock over with: never longer than the waiter timeout (see class doc). */
    private long handOverLease(long leaseMillis) {
        return Math.min(leaseMillis, waiterTimeoutMillis);
    }

    /**
     * The hold was granted after the waiter entry was last confirmed alive (a grant deletes the
     * entry, so an attempt or renewal that found it ran before the grant), with the hand-over lease: so it
     * surely lasts until that confirmation was sent + the hand-over lease. The place's deadline is
     * that confirmation + the waiter timeout. Empty (confirm with an attempt) if the server's
     * lease is shorter than an explicit lease asked for, if the hold must be acknowledged by
     * replicas (the {@code WAIT} must follow a write of this client's connection), or if the
     * waiter has no confirmed place with the placement the hand-over names (then the message may
     * be a late one, for a grant that ran out before the waiter queued again: its last
     * confirmations would not bound that grant).
     */
    @Override
    public OptionalLong handedOverValidUntil(LockKeys keys, String holderId, String placement, long leaseMillis,
            boolean renewed) {
        QueuePlace place = places.take(placeId(keys, holderId), p -> p.tag().equals(placement));
        long handOverLease = handOverLease(leaseMillis);
        if (place == null || !trustHandOver || handOverLease < leaseMillis && !renewed) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(place.validUntilNanos() - (waiterTimeoutMillis - handOverLease) * 1_000_000L);
    }

    @Override
    public CompletableFuture<ScriptEffect> release(LockKeys keys, String holderId, int levelsLeft) {
        if (levelsLeft > 0) { // replies as release.lua does, with no message: nothing is handed over
            return evalHandingOver(COUNT_DOWN, new String[] {keys.key()}, n -> n >= 0, holderId,
                    Integer.toString(levelsLeft));
        }
        return evalHandingOver(RELEASE, keys, n -> n >= 0, holderId, "0");
    }

    /** {@code release-all.lua}: the locks' keys one lock after another, then each lock's holder id. */
    @Override
    public List<CompletableFuture<ScriptEffect>> releaseAll(List<LockKeys> keys, List<String> holderIds) {
        List<String> all = new ArrayList<>(keys.size() * KEYS_PER_LOCK);
        keys.forEach(k -> all.addAll(List.of(keys(k))));
        CompletableFuture<List<Object>> reply = ctx.redis().eval(RELEASE_ALL, ScriptOutputType.MULTI,
                all.toArray(String[]::new), holderIds.toArray(String[]::new));
        List<CompletableFuture<ScriptEffect>> effects = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            int at = 2 * i;
            effects.add(reply.thenApply(r -> {
                long left = (Long) r.get(at);
                String message = r.get(at + 1) instanceof String m ? m : "";
                if (left == -2) {
                    throw new RedisCommandExecutionException(message);
                }
                return new ScriptEffect(left >= 0, message);
            }));
        }
        return effects;
    }

    @Override
    public CompletableFuture<ScriptEffect> unlockAfter(LockKeys keys, String holderId, long delayMillis) {
        return ctx.redis().<List<Object>>eval(UNLOCK_AFTER, ScriptOutputType.MULTI, new String[] {keys.key()},
                holderId, Long.toString(delayMillis)).thenApply(reply -> new ScriptEffect((Long) reply.get(0) == 1, ""));
    }

    @Override
    public CompletableFuture<ScriptEffect> abandon(LockKeys keys, String holderId) {
        places.leave(placeId(keys, holderId));
        return evalHandingOver(ABANDON, keys, n -> n > 0, holderId);
    }

    /**
     * Runs a script that may hand the lock over and replies {@code {n, message published}}: the
     * effect found what {@code found} says of n, and names the message (the engine tells a waiter
     * of this client named in it at once).
     */
    private CompletableFuture<ScriptEffect> evalHandingOver(Script script, LockKeys keys, LongPredicate found,
            String... args) {
        return evalHandingOver(script, keys(keys), found, args);
    }

    /** {@link #evalHandingOver(Script, LockKeys, LongPredicate, String...)} on the script's own {@code KEYS}. */
    private CompletableFuture<ScriptEffect> evalHandingOver(Script script, String[] scriptKeys, LongPredicate found,
            String... args) {
        return ctx.redis().<List<Object>>eval(script, ScriptOutputType.MULTI, scriptKeys, args).thenApply(reply ->
                new ScriptEffect(found.test((Long) reply.get(0)), reply.get(1) instanceof String m ? m : ""));
    }

    @Override
    public CompletableFuture<ScriptEffect> forceUnlock(LockKeys keys) {
        return evalHandingOver(FORCE_UNLOCK, keys, n -> n == 1);
    }

    /** Runs the acquire script, which replies {@code {code, value[, server ms[, placement]]}}. */
    private CompletableFuture<AttemptResult> evalAttempt(Script script, String[] keys, String... args) {
        return ctx.redis().<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args).thenApply(AttemptResult::parse);
    }

    /** Core's renewal of a hash hold ({@code renew-hash.lua}), which never shortens a lease. */
    @Override
    public Script renewScript() {
        return RENEW;
    }

    /** One field per holder, so only the holder's own re-entries can lengthen the lease. */
    @Override
    public Script plainRenewScript() {
        return RENEW_PLAIN;
    }

    @Override
    public CompletableFuture<Boolean> isLocked(LockKeys keys) {
        return ctx.redis().async().exists(keys.key()).toCompletableFuture().thenApply(n -> n > 0);
    }

    @Override
    public CompletableFuture<Integer> holdCount(LockKeys keys, String holderId) {
        return ctx.redis().async().hget(keys.key(), holderId).toCompletableFuture()
                .thenApply(v -> v == null ? 0 : Integer.parseInt(v));
    }

    @Override
    public CompletableFuture<Long> remainTimeToLive(LockKeys keys) {
        return ctx.redis().async().pttl(keys.key()).toCompletableFuture();
    }

    /** Which waiter a queue place is of. */
    private static HoldKey placeId(LockKeys keys, String holderId) {
        return new HoldKey(keys.key(), "queue-place", holderId);
    }

    /** How many {@link #keys} a lock has. */
    static final int KEYS_PER_LOCK = 5;

    /** KEYS of every queued script but the renewal: lock hash, queue, waiters, channel, token key. */
    public static String[] keys(LockKeys keys) {
        return new String[] {keys.key(), queue(keys), waiters(keys), keys.channel(), keys.tokenKey()};
    }

    /** The queue ZSET of lock {@code keys}: holder id → arrival number, {@code key + ":queue"}. */
    public static String queue(LockKeys keys) {
        return keys.derived(QUEUE);
    }

    /**
     * The waiters HASH of lock {@code keys}: holder id → its waiter entry,
     * {@code "<deadline>|<identity>"} (server ms it is alive until, and see {@link QueuePlace}),
     * {@code key + ":waiters"}.
     */
    public static String waiters(LockKeys keys) {
        return keys.derived(WAITERS);
    }
}
