package io.holdfast.stress;

import io.holdfast.LockLostException;
import io.holdfast.internal.Hold;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LockKeys;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * One watchdog-renewed hold with one level, registered as the engine registers a granted hold
 * (client registry + watchdog), and what the actors of a test observed of it.
 */
final class HeldLock {

    static final String HOLDER = "stress:1";

    final FakeClient client = new FakeClient(true);
    final StubKind kind = new StubKind();
    final LockKeys keys = client.ctx.keys("orders");
    /** Calls of the hold's loss callback (the client's lease listener). */
    final AtomicInteger lostCalls = new AtomicInteger();
    final Hold hold;

    HeldLock() {
        HoldKey id = new HoldKey(keys.key(), kind.role(), HOLDER);
        hold = new Hold(id, keys, kind, null, 1, Item.LEASE_MILLIS, true,
                client.ctx.ticker().nanoTime() + Item.LEASE_MILLIS * 1_000_000L, client.ctx.ticker(), (h, cause) -> {
            lostCalls.incrementAndGet();
            client.watchdog.cancel(h); // as Client.lost does
        });
        client.ctx.holds().put(id, hold);
        client.watchdog.register(hold);
    }

    /** The holder's last unlock: 0 returned normally, 1 threw LockLostException, 2 anything else. */
    int unlock() {
        CompletableFuture<Void> f = client.ctx.engine().release(kind, keys, HOLDER);
        try {
            f.join();
            return 0;
        } catch (CompletionException e) {
            return e.getCause() instanceof LockLostException ? 1 : 2;
        }
    }

    /**
     * After both actors: r2 = final state (ordinal: 2 RELEASED, 3 LOST), r3 = loss-callback calls,
     * r4 = whether {@code whenLost()} completed (1/0), r5 = holds still known locally, in the
     * client's registry plus in the watchdog. (r1 is the holder's {@link #unlock()}.)
     */
    void observe(IIIII_Result r) {
        r.r2 = hold.state().ordinal();
        r.r3 = lostCalls.get();
        r.r4 = hold.whenLost().toCompletableFuture().isDone() ? 1 : 0;
        r.r5 = client.ctx.holds().size() + client.watchdog.size();
    }
}
