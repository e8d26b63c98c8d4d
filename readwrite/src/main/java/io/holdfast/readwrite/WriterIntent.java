package io.holdfast.readwrite;

import io.holdfast.spi.HoldKey;
import io.holdfast.spi.Script;
import io.holdfast.spi.WaitMarker;
import io.holdfast.spi.WaitMarkers;
import java.util.List;

/**
 * A waiting writer's intent, as the watchdog renews it: a member of the lock's intents set whose
 * deadline (server time) keeps new readers out while the writer waits. If the writer's process
 * dies, nobody renews it and it expires within its lease. A writer has one intent at a time, so
 * every intent has the same identity; its lifecycle is {@link WaitMarkers}'.
 */
final class WriterIntent extends WaitMarker {

    /** The identity of every intent. */
    static final String INTENT = "intent";

    private static final Script RENEW = ReadWriteKind.load("renew-intent.lua");

    private final String intentsKey;

    WriterIntent(WaitMarkers<WriterIntent> owner, HoldKey id, String intentsKey, long leaseMillis, long sentNanos) {
        super(owner, id, INTENT, leaseMillis, sentNanos);
        this.intentsKey = intentsKey;
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }

    @Override
    public List<String> renewKeys() {
        return List.of(intentsKey);
    }

    @Override
    public String renewArg() {
        return id().holderId();
    }

    @Override
    public String toString() {
        return "WriterIntent[" + intentsKey + " by " + id().holderId() + "]";
    }
}
