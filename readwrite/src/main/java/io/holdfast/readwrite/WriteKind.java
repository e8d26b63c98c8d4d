package io.holdfast.readwrite;

import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.spi.AttemptResult.Outcome;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import io.holdfast.spi.WaitMarkers;
import io.holdfast.spi.ScriptEffect;
import java.util.concurrent.CompletableFuture;

/**
 * The write role: exclusive of every other hold, except the writer's own read holds. Scripts:
 * {@code acquire-write.lua}, {@code release-write.lua}, {@code abandon-write.lua},
 * {@code renew-write.lua}.
 *
 * <p>Writer intents: a fresh attempt that will wait and finds the lock busy records the writer's
 * intent on the server (new readers then wait behind it) and this kind hands a
 * {@link WriterIntent} to the watchdog, which keeps it alive while the writer waits (the engine's
 * wait-marker lifecycle, {@link io.holdfast.spi.WaitMarkers}, as for a queued lock's places). The
 * intent ends on the server and here when the writer acquires (the acquire script drops it) or gives up
 * ({@link #abandon}, which the engine calls on timeout, interrupt and failure because this kind is
 * {@link #queued()}); one whose writer died expires after
 * {@link io.holdfast.HoldfastOptions#fairWaiterTimeout()}.
 *
 * <p>Upgrade: a fresh write attempt by a holder that holds the read lock is refused; this client
 * knows its holds, so it refuses at once without a round trip, and the script checks again.
 */
final class WriteKind extends ReadWriteKind {

    static final String UPGRADE_REFUSED = "read-to-write upgrade: the holder holds the read lock; "
            + "release it before taking the write lock (waiting for it would deadlock)";

    private static final Script ACQUIRE = load("acquire-write.lua");
    private static final Script RELEASE = load("release-write.lua");
    private static final Script ABANDON = load("abandon-write.lua");
    private static final Script RENEW = load("renew-write.lua");

    private final WaitMarkers<WriterIntent> intents;

    WriteKind(ClientContext ctx) {
        super(ctx);
        this.intents = new WaitMarkers<>(ctx);
    }

    @Override
    public String role() {
        return WRITE;
    }

    @Override
    String code() {
        return "w";
    }

    /** A waiting writer has an intent on the server to drop when it gives up. */
    @Override
    public boolean queued() {
        return true;
    }

    @Override
    public CompletableFuture<AttemptResult> attempt(AttemptRequest r) {
        if (!r.mode().reentry() && ctx.holdsLocally(new HoldKey(r.keys().key(), READ, r.holderId()))) {
            return CompletableFuture.completedFuture(new AttemptResult(Outcome.REFUSED, 0, UPGRADE_REFUSED, 0));
        }
        long intentMillis = r.mode().willWait() ? ctx.options().fairWaiterTimeout().toMillis() : 0;
        long sent = ctx.ticker().nanoTime();
        return evalAttempt(ACQUIRE, stateKeys(r.keys()), r.holderId(), Long.toString(r.leaseMillis()),
                r.mode().reentry() ? "reenter" : "fresh", Long.toString(intentMillis), Integer.toString(r.level()))
                .thenApply(result -> {
                    if (intentMillis > 0) {
                        trackIntent(r, result, intentMillis, sent);
                    }
                    return result;
                });
    }

    /** BUSY: the script recorded (or refreshed) the intent; anything else: it is gone. */
    private void trackIntent(AttemptRequest r, AttemptResult result, long intentMillis, long sentNanos) {
        HoldKey id = intentId(r.keys(), r.holderId());
        intents.afterAttempt(id, result.outcome() == Outcome.BUSY ? WriterIntent.INTENT : null, sentNanos,
                () -> new WriterIntent(intents, id, intents(r.keys()), intentMillis, sentNanos));
    }

    private static HoldKey intentId(LockKeys keys, String holderId) {
        return new HoldKey(keys.key(), "intent", holderId);
    }

    @Override
    public CompletableFuture<ScriptEffect> release(LockKeys keys, String holderId, int levelsLeft) {
        return evalLong(RELEASE, stateKeys(keys), holderId, Integer.toString(levelsLeft)).thenApply(left -> ScriptEffect.of(left >= 0));
    }

    @Override
    public CompletableFuture<ScriptEffect> abandon(LockKeys keys, String holderId) {
        intents.leave(intentId(keys, holderId));
        return evalLong(ABANDON, stateKeys(keys), holderId).thenApply(n -> ScriptEffect.of(n > 0));
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }
}
