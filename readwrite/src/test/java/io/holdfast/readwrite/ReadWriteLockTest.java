package io.holdfast.readwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The read-write lock's own semantics: sharing, exclusion, reentrancy, downgrade, upgrade. */
@Tag("integration")
class ReadWriteLockTest extends ReadWriteFixture {

    @Test
    void readers_shareTheLock_acrossClients_andExcludeWriters() {
        RLock readA = rw(a, "share").readLock();
        readA.lock();
        OwnerThread other = thread("reader-b");
        assertThat(other.call(() -> rw(b, "share").readLock().tryLock())).isTrue();
        assertThat(rw(c, "share").writeLock().tryLock()).isFalse();
        readA.unlock();
        assertThat(rw(c, "share").writeLock().tryLock()).isFalse();
        other.run(() -> rw(b, "share").readLock().unlock());
        assertThat(rw(c, "share").writeLock().tryLock()).isTrue();
        rw(c, "share").writeLock().unlock();
    }

    @Test
    void writer_excludesReaders_andOtherWriters_inEveryClient() throws Exception {
        RLock write = rw(a, "excl").writeLock();
        write.lock();
        assertThat(rw(b, "excl").readLock().tryLock()).isFalse();
        assertThat(rw(b, "excl").writeLock().tryLock(200, TimeUnit.MILLISECONDS)).isFalse();
        OwnerThread sameClient = thread("same-client");
        assertThat(sameClient.call(() -> rw(a, "excl").readLock().tryLock())).isFalse();
        assertThat(sameClient.call(() -> rw(a, "excl").writeLock().tryLock())).isFalse();
        assertThat(rw(b, "excl").writeLock().isLocked()).isTrue();
        assertThat(rw(b, "excl").readLock().isLocked()).isFalse();
        write.unlock();
        assertThat(sameClient.call(() -> rw(a, "excl").readLock().tryLock())).isTrue();
        sameClient.run(() -> rw(a, "excl").readLock().unlock());
    }

    @Test
    void reentrancy_andHoldCounts_ofBothLocks() {
        RReadWriteLock lock = rw(a, "nested");
        RLock write = lock.writeLock();
        RLock read = lock.readLock();
        write.lock();
        assertThat(write.tryLock()).isTrue();
        read.lock();
        read.lock();
        assertThat(read.tryLock()).isTrue();
        assertThat(write.getHoldCount()).isEqualTo(2);
        assertThat(read.getHoldCount()).isEqualTo(3);
        assertThat(rw(b, "nested").writeLock().getHoldCount()).isZero();
        long writeToken = write.getFencingToken();
        assertThat(read.getFencingToken()).isGreaterThan(writeToken);

        read.unlock();
        write.unlock();
        assertThat(read.getHoldCount()).isEqualTo(2);
        assertThat(write.getHoldCount()).isEqualTo(1);
        assertThat(write.getFencingToken()).isEqualTo(writeToken);
        write.unlock();
        assertThat(write.getHoldCount()).isZero();
        assertThat(write.isLocked()).isFalse();
        assertThat(read.isHeldByCurrentThread()).isTrue();
        read.unlock();
        read.unlock();
        assertThat(read.isLocked()).isFalse();
        assertThat(redis.commands().exists(key("nested"), key("nested") + ":leases")).isZero();
        assertThat(a.holdCount()).isZero();
        assertThat(a.renewalCount()).isZero();
    }

    @Test
    void downgrade_keepsTheReadLock_andWakesTheWaitingReaders() throws Exception {
        RLock write = rw(a, "down").writeLock();
        RLock read = rw(a, "down").readLock();
        write.lock();
        List<Future<Boolean>> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            OwnerThread t = thread("reader" + i);
            readers.add(t.submit(() -> rw(b, "down").readLock().tryLock(20, TimeUnit.SECONDS)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> b.subscribedChannels() == 1);
        read.lock();
        write.unlock();
        long released = System.nanoTime();
        for (Future<Boolean> r : readers) {
            assertThat(r.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(millisSince(released)).isLessThan(3_000);
        assertThat(read.getHoldCount()).isEqualTo(1);
        assertThat(write.getHoldCount()).isZero();
        assertThat(read.currentLease()).get().extracting(l -> l.state()).isEqualTo(LeaseState.ACTIVE);
        assertThat(rw(c, "down").writeLock().tryLock()).isFalse();
        read.unlock();
    }

    @Test
    void upgrade_isRefusedAtOnce_andLeavesNothingBehind() throws Exception {
        RLock read = rw(a, "up").readLock();
        RLock write = rw(a, "up").writeLock();
        read.lock();
        long start = System.nanoTime();
        assertThat(write.tryLock()).isFalse();
        assertThat(write.tryLock(30, TimeUnit.SECONDS)).isFalse();
        assertThatThrownBy(write::lock).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("upgrade").hasMessageContaining("'up'");
        assertThatThrownBy(write::lockInterruptibly).isInstanceOf(IllegalMonitorStateException.class)
                .hasMessageContaining("upgrade");
        assertThat(millisSince(start)).as("refusals return at once, not after the 30 s wait").isLessThan(2_000);
        assertThat(read.getHoldCount()).isEqualTo(1);
        assertThat(a.holdCount()).isEqualTo(1);
        assertThat(a.renewalCount()).isEqualTo(1);
        assertThat(waitingWriters("up")).isZero();
        assertThat(rw(b, "up").readLock().tryLock()).as("no intent keeps readers out").isTrue();
        rw(b, "up").readLock().unlock();
        read.unlock();
        assertThat(write.tryLock()).as("without the read hold it is no upgrade").isTrue();
        write.unlock();
    }

    @Test
    void upgrade_isAlsoRefusedByTheServer_whenItHasAReadHoldOfTheHolder() {
        // a read hold of this thread that the client does not know about (e.g. an undo that never
        // reached the server): the script refuses the upgrade on its own
        String member = "r:" + holder(a, Thread.currentThread().getId());
        redis.commands().hset(key("stale"), Map.of("mode", "read", member, "1"));
        redis.commands().zadd(key("stale") + ":leases", serverMillis() + 60_000, member);
        RLock write = rw(a, "stale").writeLock();
        assertThat(write.tryLock()).isFalse();
        assertThatThrownBy(write::lock).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("upgrade");
        assertThat(waitingWriters("stale")).isZero();
        assertThat(a.holdCount()).isZero();
    }

    @Test
    void newReaders_waitBehindAWaitingWriter_butAReentryDoesNot() throws Exception {
        RLock read = rw(a, "prefer").readLock();
        read.lock();
        OwnerThread writer = thread("writer");
        Future<Boolean> writing = writer.submit(() -> rw(c, "prefer").writeLock().tryLock(20, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> waitingWriters("prefer") == 1);

        OwnerThread newReader = thread("new-reader");
        assertThat(newReader.call(() -> rw(b, "prefer").readLock().tryLock())).isFalse();
        assertThat(newReader.call(() -> rw(b, "prefer").readLock().tryLock(200, TimeUnit.MILLISECONDS))).isFalse();
        assertThat(read.tryLock()).as("a reader that holds the lock re-enters").isTrue();
        Future<Boolean> reading = newReader.submit(() -> rw(b, "prefer").readLock().tryLock(20, TimeUnit.SECONDS));

        read.unlock();
        assertThat(writing).isNotDone();
        read.unlock();
        assertThat(writing.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(waitingWriters("prefer")).isZero();
        assertThat(reading).isNotDone();
        writer.run(() -> rw(c, "prefer").writeLock().unlock());
        assertThat(reading.get(5, TimeUnit.SECONDS)).isTrue();
        newReader.run(() -> rw(b, "prefer").readLock().unlock());
    }

    @Test
    void readersWaitingWhenAWriteHoldIsReleased_goAheadOfTheWaitingWriter_newReadersDoNot() throws Exception {
        RLock write = rw(a, "phase").writeLock();
        write.lock();
        OwnerThread reader = thread("waiting-reader");
        Future<Boolean> reading = reader.submit(() -> rw(b, "phase").readLock().tryLock(20, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.subscribedChannels() == 1);
        OwnerThread writer = thread("next-writer");
        Future<Boolean> writing = writer.submit(() -> rw(c, "phase").writeLock().tryLock(20, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> waitingWriters("phase") == 1);

        write.unlock();
        assertThat(reading.get(5, TimeUnit.SECONDS)).as("its turn: it waited through the write phase").isTrue();
        assertThat(writing).isNotDone();
        assertThat(rw(a, "phase").readLock().tryLock()).as("a new reader waits for the writer").isFalse();
        reader.run(() -> rw(b, "phase").readLock().unlock());
        assertThat(writing.get(5, TimeUnit.SECONDS)).isTrue();
        writer.run(() -> rw(c, "phase").writeLock().unlock());
    }

    @Test
    void theWritersOwnRead_isGranted_whileAnotherWriterWaits() throws Exception {
        RLock write = rw(a, "own").writeLock();
        RLock read = rw(a, "own").readLock();
        write.lock();
        OwnerThread other = thread("other-writer");
        Future<Boolean> writing = other.submit(() -> rw(b, "own").writeLock().tryLock(20, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> waitingWriters("own") == 1);
        assertThat(read.tryLock()).isTrue();
        write.unlock();
        assertThat(writing).isNotDone();
        assertThat(rw(c, "own").readLock().tryLock()).as("new readers still wait behind the writer").isFalse();
        read.unlock();
        assertThat(writing.get(5, TimeUnit.SECONDS)).isTrue();
        other.run(() -> rw(b, "own").writeLock().unlock());
    }

    @Test
    void aWaitingWritersIntent_isRenewed_forAsLongAsItWaits() throws Exception {
        Holdfast shortIntents = Holdfast.connect(HoldfastOptions.builder(redis.uri())
                .watchdogLease(LEASE).fairWaiterTimeout(Duration.ofMillis(400)).build());
        try (shortIntents) {
            RLock read = rw(a, "patient").readLock();
            read.lock();
            OwnerThread writer = thread("patient-writer");
            Future<Boolean> writing = writer.submit(() -> rw(shortIntents, "patient").writeLock().tryLock(20, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).until(() -> waitingWriters("patient") == 1);
            // many intent leases long, the intent stays and keeps new readers out
            await().during(Duration.ofMillis(2_000)).atMost(Duration.ofSeconds(4))
                    .until(() -> waitingWriters("patient") == 1 && !rw(b, "patient").readLock().tryLock());
            assertThat(shortIntents.renewalCount()).as("the intent is renewed").isEqualTo(1);
            read.unlock();
            assertThat(writing.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(shortIntents.renewalCount()).as("now the write hold only").isEqualTo(1);
            assertThat(waitingWriters("patient")).isZero();
            writer.run(() -> rw(shortIntents, "patient").writeLock().unlock());
            assertThat(shortIntents.renewalCount()).isZero();
        }
    }

    @Test
    void aWriterGivingUp_letsTheReadersQueuedBehindItIn() throws Exception {
        RLock read = rw(a, "giveup").readLock();
        read.lock();
        OwnerThread writer = thread("impatient-writer");
        Future<Boolean> writing = writer.submit(() -> rw(b, "giveup").writeLock().tryLock(1500, TimeUnit.MILLISECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> waitingWriters("giveup") == 1);
        OwnerThread reader = thread("queued-reader");
        Future<Boolean> reading = reader.submit(() -> rw(c, "giveup").readLock().tryLock(20, TimeUnit.SECONDS));
        assertThat(writing.get(10, TimeUnit.SECONDS)).isFalse();
        long gaveUp = System.nanoTime();
        assertThat(waitingWriters("giveup")).isZero();
        assertThat(b.renewalCount()).as("the intent is no longer renewed").isZero();
        // the intent would have kept the reader out for up to fairWaiterTimeout (5 s) more
        assertThat(reading.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(millisSince(gaveUp)).isLessThan(2_500);
        reader.run(() -> rw(c, "giveup").readLock().unlock());
        read.unlock();
    }

    @Test
    void anIntentNobodyRenews_stopsBlockingReadersWhenItExpires() throws Exception {
        // the intent of a writer whose process died: nobody renews or drops it
        redis.commands().zadd(key("orphan") + ":intents", serverMillis() + 1_500, "dead-writer");
        OwnerThread reader = thread("reader");
        assertThat(reader.call(() -> rw(a, "orphan").readLock().tryLock())).isFalse();
        assertThat(reader.call(() -> rw(a, "orphan").readLock().tryLock(10, TimeUnit.SECONDS))).isTrue();
        assertThat(waitingWriters("orphan")).isZero();
        reader.run(() -> rw(a, "orphan").readLock().unlock());
    }

    @Test
    void fencingTokens_increaseAcrossReadersAndWriters() {
        OwnerThread other = thread("other");
        RLock read = rw(a, "tokens").readLock();
        read.lock();
        long first = read.getFencingToken();
        long second = other.call(() -> {
            RLock r = rw(b, "tokens").readLock();
            r.lock();
            return r.getFencingToken();
        });
        read.unlock();
        other.run(() -> rw(b, "tokens").readLock().unlock());
        RLock write = rw(c, "tokens").writeLock();
        write.lock();
        long third = write.getFencingToken();
        RLock ownRead = rw(c, "tokens").readLock();
        ownRead.lock();
        long fourth = ownRead.getFencingToken();
        write.unlock();
        ownRead.unlock();
        assertThat(List.of(first, second, third, fourth)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aReadHoldWhoseLeaseRanOut_isLost_andTheWriterGetsIn() throws Exception {
        RLock read = rw(a, "expiring").readLock();
        read.lock(300, TimeUnit.MILLISECONDS);
        OwnerThread writer = thread("writer");
        assertThat(writer.call(() -> rw(b, "expiring").writeLock().tryLock(5, TimeUnit.SECONDS))).isTrue();
        assertThatThrownBy(read::unlock).isInstanceOf(LockLostException.class).hasMessageContaining("expiring");
        assertThat(read.currentLease()).isEmpty();
        writer.run(() -> rw(b, "expiring").writeLock().unlock());
    }
}
