package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.testkit.ChildJvm;
import io.holdfast.readwrite.ReadWriteFixture;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The read-write lock across real processes: crashed readers and writers, and an interval check. */
@Tag("integration")
class ReadWriteCrossProcessTest extends ReadWriteFixture {

    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void aKilledReader_stopsBlockingTheWriterWithinItsLease_whileAnotherReaderKeepsRenewing() throws Exception {
        try (ChildJvm child = ChildJvm.builder(RwHolderMain.class)
                .arg(redis.uri(), "crash", Long.toString(LEASE.toMillis()), "read").start()) {
            String dead = child.awaitLine(l -> l.startsWith("locked "), START).substring("locked ".length());
            RLock live = rw(b, "crash").readLock();
            live.lock();
            Lease liveLease = live.currentLease().orElseThrow();
            OwnerThread writer = thread("writer");
            Future<Boolean> writing = writer.submit(() -> rw(c, "crash").writeLock().tryLock(60, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).until(() -> waitingWriters("crash") == 1);

            child.kill9();
            long killed = System.nanoTime();
            await().atMost(LEASE.plusSeconds(3)).until(() -> !holdAlive("crash", "r:" + dead));
            assertThat(millisSince(killed)).as("the dead reader stopped counting within its lease (+ slack)")
                    .isLessThan(LEASE.toMillis() + 3_000);
            // the live reader keeps renewing its own lease: it, and only it, still keeps the writer out
            await().during(LEASE.multipliedBy(2)).atMost(LEASE.multipliedBy(4))
                    .until(() -> !writing.isDone() && liveLease.isValid());
            assertThat(holdAlive("crash", "r:" + holder(b, Thread.currentThread().getId()))).isTrue();

            long released = System.nanoTime();
            live.unlock();
            assertThat(writing.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(millisSince(released)).as("the writer got in as soon as the live reader left").isLessThan(3_000);
            writer.run(() -> rw(c, "crash").writeLock().unlock());
        }
    }

    @Test
    void aKilledWaitingWriter_stopsBlockingNewReaders_whenItsIntentExpires() throws Exception {
        // the reader must outlast the child's start and the intent's expiry (seconds): a lease long
        // enough that a renewal delayed by a loaded machine does not lose it
        RLock read = rw(client(Duration.ofSeconds(10)), "dead-writer").readLock();
        read.lock();
        try (ChildJvm child = ChildJvm.builder(RwHolderMain.class)
                .arg(redis.uri(), "dead-writer", Long.toString(LEASE.toMillis()), "write").start()) {
            child.awaitLine(l -> l.startsWith("trying "), START);
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingWriters("dead-writer") == 1);
            child.kill9();
            long killed = System.nanoTime();
            OwnerThread reader = thread("new-reader");
            assertThat(reader.call(() -> rw(b, "dead-writer").readLock().tryLock(20, TimeUnit.SECONDS))).isTrue();
            // the intent lives at most fairWaiterTimeout (5 s) after its last renewal
            assertThat(millisSince(killed)).isLessThan(5_000 + 3_000);
            assertThat(waitingWriters("dead-writer")).isZero();
            reader.run(() -> rw(b, "dead-writer").readLock().unlock());
        }
        read.unlock();
    }

    @Test
    void randomReadsAndWrites_fromFourJvms_neverOverlapAWrite() {
        int jvms = 4;
        try (WorkerChildren children = WorkerChildren.start(RwMixMain.class, jvms,
                i -> new String[] {redis.uri(), "mix", "2", "40", Integer.toString(i)})) {
            List<String> lines = children.awaitDone(Duration.ofSeconds(120));
            assertThat(lines).noneMatch(l -> l.startsWith("BAD"));
            List<Interval> intervals = WorkerChildren.intervals(lines);
            long writes = intervals.stream().filter(Interval::write).count();
            long reads = intervals.size() - writes;
            // every operation recorded one interval, and a downgrading write one more (its read part)
            assertThat(intervals.size()).isGreaterThanOrEqualTo(jvms * 2 * 40);
            assertThat(writes).isPositive();
            assertThat(reads).isPositive();
            assertThat(redis.commands().get("mix:value")).isEqualTo(Long.toString(writes));
            Overlaps overlaps = Overlaps.of(intervals);
            System.out.println("4 JVMs: " + writes + " writes, " + reads + " reads, "
                    + overlaps.readPairs() + " overlapping read pairs, " + overlaps.withWrite().size() + " overlaps with a write");
            assertThat(overlaps.withWrite()).as("critical sections overlapping a write").isEmpty();
            assertThat(overlaps.readPairs()).as("reads that did overlap each other (the lock was shared)").isPositive();
        }
    }
}
