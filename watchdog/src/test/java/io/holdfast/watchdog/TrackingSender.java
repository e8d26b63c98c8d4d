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

    /**
     * A batch counts as answered only once the watchdog has handled its reply: the future handed
     * back is completed first, which runs the watchdog's own (synchronous) callbacks on it, and the
     * count drops after that. Dropping it in a callback of its own let a test move its clock on
     * while the watchdog had not yet recorded the renewal: on a loaded machine, an item then
     * looked overdue and was reported gone.
     */
    @Override
    CompletableFuture<boolean[]> send(Script script, long leaseMillis, List<Renewable> batch) {
        pending.incrementAndGet();
        sentAt.merge(clock.getAsLong(), batch.size(), Integer::sum);
        CompletableFuture<boolean[]> handled = new CompletableFuture<>();
        super.send(script, leaseMillis, batch).whenComplete((r, e) -> {
            try {
                if (e != null) {
                    handled.completeExceptionally(e);
                } else {
                    handled.complete(r);
                }
            } finally {
                pending.decrementAndGet();
            }
        });
        return handled;
    }
}
