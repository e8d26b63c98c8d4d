package io.holdfast.stress;

import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.Script;
import io.holdfast.spi.ScriptEffect;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A lock kind whose server always answers at once: a release frees the hold (0 levels left), a
 * force-unlock finds the lock held. Only what the release and force-unlock paths call is here.
 */
final class StubKind implements LockKind {

    private static final Script RENEW = Script.load(ClientContext.class, "renew-hash.lua");

    @Override
    public String role() {
        return "exclusive";
    }

    @Override
    public CompletableFuture<ScriptEffect> release(LockKeys keys, String holderId, int levelsLeft) {
        return CompletableFuture.completedFuture(ScriptEffect.of(true));
    }

    @Override
    public CompletableFuture<ScriptEffect> forceUnlock(LockKeys keys) {
        return CompletableFuture.completedFuture(ScriptEffect.of(true));
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(AttemptRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<ScriptEffect> abandon(LockKeys keys, String holderId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Boolean> isLocked(LockKeys keys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Integer> holdCount(LockKeys keys, String holderId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Long> remainTimeToLive(LockKeys keys) {
        throw new UnsupportedOperationException();
    }
}
