package io.holdfast.watchdog;

import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A hold on a real lock hash, on a test's clock, that records how the watchdog treated it. */
class TestItem implements Renewable {

    static final Script PLAIN = Script.load(Script.class, "renew-hash-plain.lua");
    static final Script GUARDED = Script.load(Script.class, "renew-hash.lua");

    final String key;
    final String holder;
    final long leaseMillis;
    final AtomicInteger renewals = new AtomicInteger();
    final AtomicInteger gone = new AtomicInteger();
    volatile long validUntilNanos;
    private volatile long lastSentNanos;
    /** Longest time between two renewals sent (the first counted from registration). */
    volatile long longestGapNanos;
    volatile long shortestGapNanos = Long.MAX_VALUE;

    TestItem(String key, String holder, long leaseMillis, long sentNanos) {
        this.key = key;
        this.holder = holder;
        this.leaseMillis = leaseMillis;
        this.lastSentNanos = sentNanos;
        this.validUntilNanos = sentNanos + leaseMillis * 1_000_000L;
    }

    @Override
    public Script renewScript() {
        return PLAIN;
    }

    @Override
    public List<String> renewKeys() {
        return List.of(key);
    }

    @Override
    public String renewArg() {
        return holder;
    }

    @Override
    public long leaseMillis() {
        return leaseMillis;
    }

    @Override
    public long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public synchronized void renewed(long sentNanos) {
        long gap = sentNanos - lastSentNanos;
        longestGapNanos = Math.max(longestGapNanos, gap);
        shortestGapNanos = Math.min(shortestGapNanos, gap);
        lastSentNanos = sentNanos;
        validUntilNanos = Math.max(validUntilNanos, sentNanos + leaseMillis * 1_000_000L);
        renewals.incrementAndGet();
    }

    @Override
    public void gone(String reason) {
        gone.incrementAndGet();
    }
}
