package io.holdfast.internal;

import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeasedItem;
import io.holdfast.spi.LockKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Lease;
import io.holdfast.internal.fixtures.ManualClock;
import io.holdfast.internal.fixtures.ScriptedKind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A hold's validity ({@link Lease#remaining}, {@link Lease#isValid()}) on the client's ticker. */
class HoldTest {

    private static final long LEASE_MS = 30_000;

    private final ManualClock clock = new ManualClock();
    private final LockKeys keys = LockKeys.of("holdfast:", "orders");
    private final ScriptedKind kind = new ScriptedKind(clock);

    private Hold hold(long validUntilNanos) {
        return new Hold(new HoldKey(keys.key(), kind.role(), "client:1"), keys, kind, null, 1, LEASE_MS, true,
                validUntilNanos, clock, (h, cause) -> { });
    }

    @Test
    void remainingAndIsValid_followTheTicker_andTheUsersViewAgrees() {
        long validUntil = clock.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Hold hold = hold(validUntil);
        Lease users = new ClientLease(hold, Runnable::run);

        assertThat(hold.remaining(TimeUnit.MILLISECONDS)).isEqualTo(10_000);
        clock.advance(4, TimeUnit.SECONDS);
        assertThat(hold.remaining(TimeUnit.MILLISECONDS)).isEqualTo(6_000);
        assertThat(users.remaining(TimeUnit.MILLISECONDS)).isEqualTo(6_000);

        clock.advanceTo(validUntil - 1);
        assertThat(hold.remaining(TimeUnit.NANOSECONDS)).isEqualTo(1);
        assertThat(hold.isValid()).isTrue();
        assertThat(users.isValid()).isTrue();

        clock.advance(1, TimeUnit.NANOSECONDS);
        assertThat(hold.isValid()).as("at the deadline").isFalse();
        assertThat(users.isValid()).isFalse();
        assertThat(hold.remaining(TimeUnit.NANOSECONDS)).isZero();
        clock.advance(1, TimeUnit.HOURS);
        assertThat(hold.remaining(TimeUnit.NANOSECONDS)).as("never negative").isZero();
    }

    @Test
    void lostHold_isNotValid_withinItsDeadline() {
        Hold hold = hold(clock.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        hold.markLost("force-unlocked", true);
        assertThat(hold.isValid()).isFalse();
        assertThat(hold.remaining(TimeUnit.SECONDS)).as("the deadline is still what was known").isEqualTo(10);
    }

    @Test
    void renewal_extendsValidityFromWhenItWasSent_neverBack() {
        Hold hold = hold(LeasedItem.validUntil(clock.nanoTime(), LEASE_MS));
        long granted = hold.validUntilNanos();

        clock.advance(15, TimeUnit.SECONDS);
        long sent = clock.nanoTime();
        clock.advance(1, TimeUnit.SECONDS); // the reply comes a second later
        hold.renewed(sent);
        assertThat(hold.validUntilNanos()).isEqualTo(LeasedItem.validUntil(sent, LEASE_MS));
        assertThat(hold.remaining(TimeUnit.MILLISECONDS)).isEqualTo(LEASE_MS - 2 - LEASE_MS / 1000 - 1_000);

        hold.renewed(sent - TimeUnit.SECONDS.toNanos(10)); // a late reply of an older renewal
        assertThat(hold.validUntilNanos()).isEqualTo(LeasedItem.validUntil(sent, LEASE_MS)).isGreaterThan(granted);
    }
}
