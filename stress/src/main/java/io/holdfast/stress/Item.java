package io.holdfast.stress;

import io.holdfast.spi.ClientContext;
import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Renewable} that counts what the watchdog did to it. */
final class Item implements Renewable {

    static final long LEASE_MILLIS = 30_000;
    private static final Script RENEW = Script.load(ClientContext.class, "renew-hash.lua");

    final AtomicInteger renewed = new AtomicInteger();
    final AtomicInteger gone = new AtomicInteger();
    private final String name;
    private final long validUntilNanos;

    private Item(String name, long validUntilNanos) {
        this.name = name;
        this.validUntilNanos = validUntilNanos;
    }

    /** Renewed just now: a sweep leaves it alone. */
    static Item fresh(String name) {
        return new Item(name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS));
    }

    /** A third of its lease left: the next sweep renews it. */
    static Item due(String name) {
        return new Item(name, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEASE_MILLIS / 3));
    }

    @Override
    public Script renewScript() {
        return RENEW;
    }

    @Override
    public List<String> renewKeys() {
        return List.of("holdfast:{" + name + "}");
    }

    @Override
    public String renewArg() {
        return name;
    }

    @Override
    public long leaseMillis() {
        return LEASE_MILLIS;
    }

    @Override
    public long validUntilNanos() {
        return validUntilNanos;
    }

    @Override
    public void renewed(long sentNanos) {
        renewed.incrementAndGet();
    }

    @Override
    public void gone(String reason) {
        gone.incrementAndGet();
    }
}
