package io.holdfast.readwrite;

import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
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
                r.holderId(), Long.toString(r.leaseMillis()), r.reenter() ? "reenter" : "fresh",
                Long.toString(r.waitingSinceMillis()), r.willWait() ? "wait" : "try", Integer.toString(r.level()));
    }

    @Override
    public CompletableFuture<Long> release(LockKeys keys, String holderId, int levelsLeft) {
        return evalLong(RELEASE, stateKeys(keys), holderId, Integer.toString(levelsLeft));
    }

    @Override
    public CompletableFuture<Void> abandon(LockKeys keys, String holderId) {
        return evalLong(ABANDON, stateKeys(keys), holderId).thenApply(n -> null);
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }
}
