package io.holdfast.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.HoldfastOptions;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.Ticker;
import io.holdfast.spi.AttemptRequest;
import io.holdfast.spi.AttemptResult;
import io.holdfast.internal.Client;
import io.holdfast.internal.Hold;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Script;
import io.holdfast.spi.ScriptEffect;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog a client gets ({@link WatchdogFactory}) runs on the ticker and timer set through
 * the client's options: a hold is renewed before its validity ends, and a hold whose renewals fail
 * is reported lost once its validity has passed, not before. No Redis: the command connection
 * answers renewal scripts itself; no sleeping: the clock is a {@link StepTimer} the test moves.
 */
class WatchdogRenewalTest {

    private static final long LEASE_MS = 30_000;
    private static final long LEASE_NS = TimeUnit.MILLISECONDS.toNanos(LEASE_MS);

    private final StepTimer timer = new StepTimer();
    private final Ticker ticker = timer.clock::get;
    /** Whether the fake server renews (true) or is unreachable (false). */
    private volatile boolean reachable = true;
    /** For each renewal sent: how long the hold was still valid then, in ns. */
    private final List<Long> validLeftAtSend = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<LockLostException> lost = new AtomicReference<>();
    private final Client ctx;
    private final LeaseKeeper watchdog;
    private Hold hold;

    WatchdogRenewalTest() {
        HoldfastOptions options = HoldfastOptions.builder("redis://fake:0").watchdogLease(java.time.Duration.ofMillis(LEASE_MS))
                .ticker(ticker).timer(timer).build();
        ctx = new Client("client", options, new RedisGateway(renewingServer(), "fake:0"), null,
                options.timer().orElseThrow(), Runnable::run);
        watchdog = new WatchdogFactory().create(ctx);
        ctx.keeper(watchdog);
    }

    @AfterEach
    void close() {
        watchdog.close();
    }

    /** Registers a watchdog hold granted by a command sent now, as the engine does. */
    private Hold register() {
        LockKeys keys = ctx.keys("orders");
        hold = new Hold(new HoldKey(keys.key(), "exclusive", "client:1"), keys, new RenewOnlyKind(), null, 1, LEASE_MS,
                true, LeasedItem.validUntil(ticker.nanoTime(), LEASE_MS), ctx.ticker(), (h, cause) -> lost.set(cause));
        watchdog.register(hold);
        return hold;
    }

    @Test
    void holdOfAClient_isRenewedOnItsTickerAndTimer_alwaysBeforeItsValidityEnds() {
        register();

        timer.advanceTo(10 * LEASE_NS);

        assertThat(validLeftAtSend).as("renewals in 10 leases").hasSizeGreaterThanOrEqualTo(17);
        assertThat(validLeftAtSend).as("valid time left when each renewal was sent")
                .allSatisfy(left -> assertThat(left).isGreaterThanOrEqualTo(LEASE_NS * 5 / 12 - TimeUnit.MILLISECONDS.toNanos(32)));
        assertThat(hold.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(hold.isValid()).isTrue();
        assertThat(hold.remaining(TimeUnit.MILLISECONDS)).as("renewed within the last 7/12 of a lease")
                .isGreaterThanOrEqualTo(LEASE_MS * 5 / 12 - 32);
        assertThat(lost).hasValue(null);
    }

    @Test
    void holdWhoseRenewalsFail_isReportedLostAtTheFirstSweepAfterItsValidity_notBefore() {
        reachable = false;
        long validUntil = register().validUntilNanos();

        timer.advanceTo(validUntil - 1);
        assertThat(validLeftAtSend).as("renewals were tried").isNotEmpty();
        assertThat(hold.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(hold.isValid()).isTrue();

        timer.advanceTo(validUntil);
        assertThat(hold.isValid()).as("its validity is over on the ticker").isFalse();

        timer.advanceTo(LEASE_NS); // the 12th sweep after registration
        assertThat(hold.state()).isEqualTo(LeaseState.LOST);
        assertThat(lost.get()).isNotNull();
        assertThat(lost.get().getMessage()).contains("not renewed before its lease");
    }

    /** Answers every renewal script call: each item renewed, or the server unreachable. */
    private RedisAsyncCommands<String, String> renewingServer() {
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RedisAsyncCommands.class},
                (self, method, args) -> {
                    if (!method.getName().equals("evalsha")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    validLeftAtSend.add(hold.validUntilNanos() - ticker.nanoTime());
                    int items = ((Object[]) args[3]).length - 2;
                    return reachable ? Answer.of(new ArrayList<>(Collections.nCopies(items, 1L)))
                            : Answer.failed(new RedisConnectionException("unreachable"));
                });
        @SuppressWarnings("unchecked")
        RedisAsyncCommands<String, String> commands = (RedisAsyncCommands<String, String>) proxy;
        return commands;
    }

    /** A command already answered. */
    private static final class Answer<T> extends CompletableFuture<T> implements RedisFuture<T> {
        static <T> Answer<T> of(T value) {
            Answer<T> a = new Answer<>();
            a.complete(value);
            return a;
        }

        static <T> Answer<T> failed(Throwable e) {
            Answer<T> a = new Answer<>();
            a.completeExceptionally(e);
            return a;
        }

        @Override
        public String getError() {
            return isCompletedExceptionally() ? "ERR" : null;
        }

        @Override
        public boolean await(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** Only what renewing a hold asks of its kind. */
    private static final class RenewOnlyKind implements LockKind {
        @Override
        public String role() {
            return "exclusive";
        }

        @Override
        public Script renewScript() {
            return TestItem.GUARDED;
        }

        @Override
        public Script plainRenewScript() {
            return TestItem.PLAIN;
        }

        @Override
        public CompletableFuture<AttemptResult> attempt(AttemptRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ScriptEffect> release(LockKeys keys, String holderId, int levelsLeft) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ScriptEffect> abandon(LockKeys keys, String holderId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<ScriptEffect> forceUnlock(LockKeys keys) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> isLocked(LockKeys keys) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Integer> holdCount(LockKeys keys, String holderId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Long> remainTimeToLive(LockKeys keys) {
            throw new UnsupportedOperationException();
        }
    }
}
