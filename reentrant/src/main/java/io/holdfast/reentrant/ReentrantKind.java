package io.holdfast.reentrant;

import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.HashLockKind;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import java.util.concurrent.CompletableFuture;

/**
 * The reentrant exclusive lock: a hash of holder id → hold count, at most one field at a time.
 * Any waiter may take the lock when it is free (not fair across clients); a release wakes one
 * waiter per client, and within a client the waiters take turns (see {@link #localTurns()}).
 * Scripts: {@code acquire.lua}, {@code release.lua}, {@code abandon.lua}, {@code force-unlock.lua}
 * next to this class.
 */
final class ReentrantKind extends HashLockKind {

    private static final Script ACQUIRE = Script.load(ReentrantKind.class, "acquire.lua");
    private static final Script RELEASE = Script.load(ReentrantKind.class, "release.lua");
    private static final Script ABANDON = Script.load(ReentrantKind.class, "abandon.lua");
    private static final Script FORCE_UNLOCK = Script.load(ReentrantKind.class, "force-unlock.lua");

    ReentrantKind(ClientContext ctx) {
        super(ctx);
    }

    @Override
    public String role() {
        return "exclusive";
    }

    @Override
    public boolean localTurns() {
        return true;
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(AttemptRequest r) {
        return evalAttempt(ACQUIRE, new String[] {r.keys().key()},
                r.holderId(), Long.toString(r.leaseMillis()), !r.reenter() ? "fresh" : r.renewed() ? "reenter-kept" : "reenter");
    }

    @Override
    public CompletableFuture<Long> release(LockKeys keys, String holderId, boolean lastLevel) {
        return evalLong(RELEASE, new String[] {keys.key(), keys.channel()}, holderId, lastLevel ? "last" : "one");
    }

    @Override
    public CompletableFuture<Void> abandon(LockKeys keys, String holderId) {
        return evalLong(ABANDON, new String[] {keys.key(), keys.channel()}, holderId).thenApply(n -> null);
    }

    @Override
    public CompletableFuture<Boolean> forceUnlock(LockKeys keys) {
        return evalLong(FORCE_UNLOCK, new String[] {keys.key(), keys.channel()}).thenApply(n -> n == 1);
    }
}
