package io.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the inspector reads a queued lock's waiter entry, {@code "<deadline>|<identity>"} (see queue.lua). */
class LockReaderTest {

    @Test
    void aWaiterEntrysDeadline_isItsStart_and0WhenMissingOrUnreadable() {
        assertThat(LockReader.deadlineOf("1765000000123|5000:7.1765000000123456")).isEqualTo(1765000000123L);
        assertThat(LockReader.deadlineOf(null)).isZero();
        assertThat(LockReader.deadlineOf("5000:7.1")).as("no deadline part").isZero();
        assertThat(LockReader.deadlineOf("|5000:7.1")).isZero();
        assertThat(LockReader.deadlineOf("soon|5000:7.1")).isZero();
    }
}
