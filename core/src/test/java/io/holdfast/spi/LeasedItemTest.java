package io.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link LeasedItem#validUntil}: what the client believes of a lease, the one place it is computed. */
class LeasedItemTest {

    private static final long SENT = 123_456_789_000L;

    private static long believedMillis(long leaseMillis) {
        return TimeUnit.NANOSECONDS.toMillis(LeasedItem.validUntil(SENT, leaseMillis) - SENT);
    }

    @Test
    void validUntil_isSentPlusLease_less2Ms_lessAThousandthOfTheLease() {
        assertThat(believedMillis(30_000)).isEqualTo(30_000 - 2 - 30);
        assertThat(believedMillis(10_000)).isEqualTo(10_000 - 2 - 10);
        assertThat(LeasedItem.validUntil(SENT, 10_000) - SENT).as("exact in nanoseconds")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(9_988));
    }

    @Test
    void validUntil_ofALeaseBelowASecond_takesOffOnlyTheServerMargin() {
        assertThat(believedMillis(999)).isEqualTo(997);
        assertThat(believedMillis(1_000)).isEqualTo(997);
    }

    @Test
    void validUntil_ofALeaseShorterThanTheMargin_isTheSendTime_neverEarlier() {
        assertThat(LeasedItem.validUntil(SENT, 1)).isEqualTo(SENT);
        assertThat(LeasedItem.validUntil(SENT, 2)).isEqualTo(SENT);
        assertThat(believedMillis(3)).isEqualTo(1);
    }

    @Test
    void validUntil_wrapsLikeTheTicker_nearTheEndOfItsRange() {
        long sent = Long.MAX_VALUE - 1_000;
        long until = LeasedItem.validUntil(sent, 10_000);
        assertThat(until - sent).as("compared by difference, as nanoTime readings are")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(9_988));
    }
}
