package io.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.HashedWheelTimer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-over rules of {@link Waiter}, without Redis (the timer is never allowed to fire). */
class WaiterTest {

    private final HashedWheelTimer timer = new HashedWheelTimer();
    private final AtomicLong handedOverWith = new AtomicLong();
    private final AtomicInteger attempts = new AtomicInteger();
    private final Waiter waiter = new Waiter("client:1", 7, handedOverWith::set);

    @AfterEach
    void stopTimer() {
        timer.stop();
    }

    private void park() {
        waiter.park(60_000, timer, attempts::incrementAndGet);
    }

    @Test
    void handOverOfTheCurrentPlacement_whileParked_isTrustedWithItsToken() {
        waiter.placement("7.100");
        park();
        assertThat(waiter.handedOver("7.100", 42)).isTrue();
        assertThat(handedOverWith).hasValue(42);
        assertThat(attempts).hasValue(0);
    }

    /** Issue 12 item 1: a late message for a grant that ran out before the waiter queued again. */
    @Test
    void lateHandOverOfAnEarlierPlacement_ofTheSameAcquisition_isOnlyAWakeUp() {
        waiter.placement("7.200"); // queued again: the server picked a new placement
        park();
        assertThat(waiter.handedOver("7.100", 42)).isTrue();
        assertThat(handedOverWith).as("not trusted as a grant").hasValue(0);
        assertThat(attempts).as("an attempt asks the server instead").hasValue(1);
    }

    @Test
    void handOverOfAnotherAcquisition_isIgnored() {
        waiter.placement("7.100");
        park();
        assertThat(waiter.handedOver("8.100", 42)).isFalse();
        assertThat(waiter.handedOver("70.100", 42)).as("an id that only starts with the same digits").isFalse();
        assertThat(handedOverWith).hasValue(0);
        assertThat(attempts).hasValue(0);
    }

    @Test
    void handOverBeforeAnyPlacementIsKnown_isOnlyAWakeUp() {
        park();
        assertThat(waiter.handedOver("7.100", 42)).isTrue();
        assertThat(handedOverWith).hasValue(0);
        assertThat(attempts).hasValue(1);
    }
}
