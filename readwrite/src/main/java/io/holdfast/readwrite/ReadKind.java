package io.holdfast.readwrite;

import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.AttemptResult.Outcome;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import io.holdfast.spi.ScriptEffect;
import java.util.concurrent.CompletableFuture;

/**
 * The read role: shared with other readers, excluded by a writer and, for new readers, by a
 * waiting writer. Scripts: {@code acquire-read.lua}, {@code release-read.lua},
 * {@code abandon-read.lua}, {@code renew-read.lua}.
 */
final class ReadKind extends ReadWriteKind {

    private static final Script ACQUIRE = load("acquire-read.lua");
    private static final Script RELEASE = load("release-read.lua");
    private static final Script ABANDON = load("abandon-read.lua");
    private static final Script RENEW = load("renew-read.lua");

    ReadKind(ClientContext ctx) {
        super(ctx);
    }

    @Override
    public String role() {
        return READ;
    }

    @Override
    String code() {
        return "r";
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(AttemptRequest r) {
        return evalAttempt(ACQUIRE, stateKeys(r.keys()),
                r.holderId(), Long.toString(r.leaseMillis()), r.mode().reentry() ? "reenter" : "fresh",
                r.memo() == null ? "0" : r.memo(), r.mode().willWait() ? "wait" : "try", Integer.toString(r.level()))
                .thenApply(result -> result.outcome() == Outcome.BUSY ? result.withMemo(waitingSince(r, result)) : result);
    }

    /**
     * The memo of a waiting reader: the server time (ms) of its acquisition's first BUSY reply that
     * reported one, which its later attempts send back (the script's turn rule: a reader already
     * waiting when the last write hold was released goes in ahead of the writer).
     */
    private static String waitingSince(AttemptRequest r, AttemptResult busy) {
        if (r.memo() != null) {
            return r.memo();
        }
        return busy.serverMillis() != 0 ? Long.toString(busy.serverMillis()) : null;
    }

    @Override
    public CompletableFuture<ScriptEffect> release(LockKeys keys, String holderId, int levelsLeft) {
        return evalLong(RELEASE, stateKeys(keys), holderId, Integer.toString(levelsLeft)).thenApply(left -> ScriptEffect.of(left >= 0));
    }

    @Override
    public CompletableFuture<ScriptEffect> abandon(LockKeys keys, String holderId) {
        return evalLong(ABANDON, stateKeys(keys), holderId).thenApply(n -> ScriptEffect.of(n > 0));
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }
}
