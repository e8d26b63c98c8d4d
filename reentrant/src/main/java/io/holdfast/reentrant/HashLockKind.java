package io.holdfast.reentrant;

import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.Script;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Base of the kinds whose lock key is a hash of holder id → hold count (reentrant, fair): the
 * read-only queries and the batched renewal are the same for all of them.
 */
public abstract class HashLockKind implements LockKind {

    private static final Script RENEW = Script.load(HashLockKind.class, "/io/holdfast/spi/renew-hash.lua");
    private static final Script RENEW_PLAIN = Script.load(HashLockKind.class, "/io/holdfast/spi/renew-hash-plain.lua");

    protected final ClientContext ctx;

    protected HashLockKind(ClientContext ctx) {
        this.ctx = ctx;
    }

    /** Runs a script that replies with an integer. */
    protected CompletableFuture<Long> evalLong(Script script, String[] keys, String... args) {
        return ctx.redis().eval(script, ScriptOutputType.INTEGER, keys, args);
    }

    /** Runs an acquire script that replies {@code {code, value[, reason]}}. */
    protected CompletableFuture<AttemptResult> evalAttempt(Script script, String[] keys, String... args) {
        return ctx.redis().<List<Object>>eval(script, ScriptOutputType.MULTI, keys, args).thenApply(AttemptResult::parse);
    }

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
    public List<String> renewKeys(LockKeys keys, String holderId) {
        return List.of(keys.key());
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
}
