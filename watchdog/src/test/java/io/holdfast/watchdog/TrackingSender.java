package io.holdfast.watchdog;

import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Sends to the real server and keeps count: batches unanswered, items sent per clock instant. */
class TrackingSender extends RenewalSender {

    final AtomicInteger pending = new AtomicInteger();
    final Map<Long, Integer> sentAt = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    TrackingSender(RedisGateway redis, LongSupplier clock) {
        super(redis);
        this.clock = clock;
    }

    @Override
    CompletableFuture<boolean[]> send(Script script, long leaseMillis, List<Renewable> batch) {
        pending.incrementAndGet();
        sentAt.merge(clock.getAsLong(), batch.size(), Integer::sum);
        return super.send(script, leaseMillis, batch).whenComplete((r, e) -> pending.decrementAndGet());
    }
}
