package io.holdfast.readwrite;

import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.Script;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A waiting writer's intent, as the watchdog renews it: a member of the lock's intents set whose
 * deadline (server time) keeps new readers out while the writer waits. If the writer's process
 * dies, nobody renews it and it expires within its lease.
 */
final class WriterIntent extends LeasedItem {

    private static final Logger log = LoggerFactory.getLogger(WriterIntent.class);
    private static final Script RENEW = ReadWriteKind.load("renew-intent.lua");

    private final String intentsKey;
    private final String holderId;
    private final Consumer<WriterIntent> onGone;

    WriterIntent(String intentsKey, String holderId, long leaseMillis, long sentNanos, Consumer<WriterIntent> onGone) {
        super(leaseMillis, validUntil(sentNanos, leaseMillis));
        this.intentsKey = intentsKey;
        this.holderId = holderId;
        this.onGone = onGone;
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
        return holderId;
    }

    /** The next attempt of the writer, if it still waits, records the intent again. */
    @Override
    public void gone(String reason) {
        log.debug("intent of writer {} on {} is gone: {}", holderId, intentsKey, reason);
        onGone.accept(this);
    }

    @Override
    public String toString() {
        return "WriterIntent[" + intentsKey + " by " + holderId + "]";
    }
}
