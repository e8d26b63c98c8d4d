package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.RLock;
import io.holdfast.readwrite.ReadWriteFixture;
import io.holdfast.testkit.OwnerThread;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 5: {@code getLock(n)} and {@code getReadWriteLock(n)} share the key
 * {@code holdfast:{n}}; they are one resource and exclude each other both ways, and a waiter of
 * one kind gets the lock within a bounded time after the other kind releases it.
 */
@Tag("integration")
class OneNameOneResourceTest extends ReadWriteFixture {

    /** Cross-kind waiters are not woken by message; they look again within the engine's bounded park (5 s). */
    private static final long CROSS_KIND_WAKE_MILLIS = 7_000;

    @Test
    void readWriteTryLock_whileTheExclusiveLockIsHeld_isRefused_andLeavesTheHashAsItWas() throws Exception {
        RLock exclusive = a.getLock("shared");
        exclusive.lock();
        Map<String, String> before = redis.commands().hgetall(key("shared"));

        assertThat(rw(b, "shared").writeLock().tryLock()).as("write while exclusive held").isFalse();
        assertThat(rw(b, "shared").readLock().tryLock()).as("read while exclusive held").isFalse();
        assertThat(rw(b, "shared").writeLock().tryLock(150, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(redis.commands().hgetall(key("shared"))).as("the exclusive hold's hash, untouched").isEqualTo(before);

        OwnerThread writer = thread("writer");
        Future<Boolean> write = writer.submit(() -> rw(b, "shared").writeLock().tryLock(20, TimeUnit.SECONDS));
        long released = System.nanoTime();
        exclusive.unlock();
        assertThat(write.get(CROSS_KIND_WAKE_MILLIS + 2_000, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(millisSince(released)).isLessThan(CROSS_KIND_WAKE_MILLIS);
        writer.run(() -> rw(b, "shared").writeLock().unlock());

        exclusive.lock();
        OwnerThread reader = thread("reader");
        Future<Boolean> read = reader.submit(() -> rw(c, "shared").readLock().tryLock(20, TimeUnit.SECONDS));
        released = System.nanoTime();
        exclusive.unlock();
        assertThat(read.get(CROSS_KIND_WAKE_MILLIS + 2_000, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(millisSince(released)).isLessThan(CROSS_KIND_WAKE_MILLIS);
        reader.run(() -> rw(c, "shared").readLock().unlock());
    }

    @Test
    void exclusiveTryLock_whileTheWriteLockIsHeld_isRefused_andWaitingGetsItAfterTheRelease() throws Exception {
        RLock write = rw(a, "shared").writeLock();
        write.lock();
        assertThat(b.getLock("shared").tryLock()).isFalse();
        assertThat(b.getFairLock("shared").tryLock()).isFalse();

        OwnerThread waiter = thread("exclusive-waiter");
        Future<Boolean> exclusive = waiter.submit(() -> b.getLock("shared").tryLock(20, TimeUnit.SECONDS));
        long released = System.nanoTime();
        write.unlock();
        assertThat(exclusive.get(CROSS_KIND_WAKE_MILLIS + 2_000, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(millisSince(released)).isLessThan(CROSS_KIND_WAKE_MILLIS);
        assertThat(rw(c, "shared").readLock().tryLock()).as("read while exclusive held").isFalse();
        waiter.run(() -> b.getLock("shared").unlock());
    }

    @Test
    void exclusiveTryLock_whileTheReadLockIsHeld_isRefused() {
        RLock read = rw(a, "shared").readLock();
        read.lock();
        assertThat(b.getLock("shared").tryLock()).isFalse();
        read.unlock();
        assertThat(b.getLock("shared").tryLock()).isTrue();
        assertThat(rw(c, "shared").writeLock().tryLock()).isFalse();
        assertThat(rw(c, "shared").readLock().tryLock()).isFalse();
        b.getLock("shared").unlock();
    }

    @Test
    void forceUnlock_ofOneKind_leavesTheOtherKindsHoldAlone() {
        RLock exclusive = a.getLock("shared");
        exclusive.lock();
        assertThat(rw(b, "shared").writeLock().forceUnlock()).isFalse();
        assertThat(exclusive.isHeldByCurrentThread()).isTrue();
        exclusive.unlock();

        RLock write = rw(a, "shared").writeLock();
        write.lock();
        assertThat(b.getLock("shared").forceUnlock()).isFalse();
        assertThat(b.getFairLock("shared").forceUnlock()).isFalse();
        assertThat(write.isHeldByCurrentThread()).isTrue();
        assertThat(redis.commands().exists(key("shared") + ":leases")).isEqualTo(1);
        write.unlock();
    }
}
