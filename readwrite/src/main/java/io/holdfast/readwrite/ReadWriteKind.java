package io.holdfast.readwrite;

import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKeys.KeySuffix;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.Script;
import io.holdfast.spi.ScriptEffect;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the read and the write role of a read-write lock share: the key layout, the queries, the
 * forced unlock and the renewal keys. The scripts, with the layout in their shared header
 * {@code lib.lua}, sit next to this class.
 *
 * <p>Keys of lock {@code name}, all with the lock's hash tag ({@link LockKeys#derived}): the
 * lock hash {@code holdfast:{name}} (mode, writer, one count per hold),
 * {@code holdfast:{name}:leases} (a sorted set of hold → lease deadline in server time, one
 * entry per hold, so each reader's lease is its own), {@code holdfast:{name}:intents} (waiting
 * writers → intent deadline), {@code holdfast:{name}:turn} (the phase-fair turn: when a reader
 * last had to wait, when the readers' turn last opened, and the writer's grace; see lib.lua) and
 * the channel {@code holdfast:{name}:wake}.
 */
abstract class ReadWriteKind implements LockKind {

    static final String READ = "read";
    static final String WRITE = "write";

    private static final KeySuffix LEASES = new KeySuffix("leases", false);
    private static final KeySuffix INTENTS = new KeySuffix("intents", false);
    private static final KeySuffix TURN = new KeySuffix("turn", false);

    /** The suffixes of a read-write lock's keys besides the lock hash: leases, intents, turn. */
    static final List<KeySuffix> KEY_SUFFIXES = List.of(LEASES, INTENTS, TURN);

    private static final Script INSPECT = load("inspect.lua");
    private static final Script FORCE_UNLOCK = load("force-unlock.lua");

    protected final ClientContext ctx;

    ReadWriteKind(ClientContext ctx) {
        this.ctx = ctx;
    }

    /** A script of this module; each includes the shared functions of {@code lib.lua}. */
    static Script load(String fileName) {
        return Script.load(ReadWriteKind.class, fileName);
    }

    /** KEYS of every script that changes the lock: hash, leases, intents, channel, turn, token key. */
    static String[] stateKeys(LockKeys keys) {
        return new String[] {keys.key(), leases(keys), intents(keys), keys.channel(), keys.derived(TURN), keys.tokenKey()};
    }

    static String leases(LockKeys keys) {
        return keys.derived(LEASES);
    }

    static String intents(LockKeys keys) {
        return keys.derived(INTENTS);
    }

    /** The prefix of this role's holds in the lock hash and the leases set: "r" or "w". */
    abstract String code();

    CompletableFuture<Long> evalLong(Script script, String[] keys, String... args) {
        return ctx.redis().eval(script, ScriptOutputType.INTEGER, keys, args);
    }

    CompletableFuture<AttemptResult> evalAttempt(Script script, String[] keys, String... args) {
        return ctx.redis().<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args).thenApply(AttemptResult::parse);
    }

    @Override
    public List<String> renewKeys(LockKeys keys, String holderId) {
        return List.of(keys.key(), leases(keys));
    }

    /** Frees the whole read-write lock, both roles, whoever holds it; waiting writers' intents stay. */
    @Override
    public CompletableFuture<ScriptEffect> forceUnlock(LockKeys keys) {
        return evalLong(FORCE_UNLOCK, stateKeys(keys)).thenApply(n -> ScriptEffect.of(n == 1));
    }

    @Override
    public CompletableFuture<Boolean> isLocked(LockKeys keys) {
        return inspect(keys, "").thenApply(state -> state.get(0) == 1);
    }

    @Override
    public CompletableFuture<Integer> holdCount(LockKeys keys, String holderId) {
        return inspect(keys, holderId).thenApply(state -> state.get(1).intValue());
    }

    /** The longest live lease of this role in ms, -2 if nobody holds this role. */
    @Override
    public CompletableFuture<Long> remainTimeToLive(LockKeys keys) {
        return inspect(keys, "").thenApply(state -> state.get(2));
    }

    private CompletableFuture<List<Long>> inspect(LockKeys keys, String holderId) {
        return ctx.redis().eval(INSPECT, ScriptOutputType.MULTI, new String[] {keys.key(), leases(keys)}, code(), holderId);
    }
}
