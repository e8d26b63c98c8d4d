package io.holdfast.readwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Wake-ups and writer preference under load: no reader misses the end of a write, and no writer
 * starves behind readers that keep coming.
 */
@Tag("integration")
class ReadWriteWakeUpTest extends ReadWriteFixture {

    /**
     * With a 30 s lease a waiter that missed its wake-up would sleep up to 5 s (the longest park)
     * before trying again: "promptly" means well under that.
     */
    private static final long PROMPT_MILLIS = 3_000;

    @Test
    void twentyReadersBlockedByAWriter_allProceedPromptly_whenItReleases() throws Exception {
        Holdfast writerClient = client(Duration.ofSeconds(30));
        List<Holdfast> readerClients = List.of(client(Duration.ofSeconds(30)), client(Duration.ofSeconds(30)));
        RLock write = rw(writerClient, "many").writeLock();
        write.lock();

        int readers = 20;
        CountDownLatch allIn = new CountDownLatch(readers);
        CountDownLatch leave = new CountDownLatch(1);
        long attemptsBefore = commandCalls("evalsha");
        List<Future<Long>> entered = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Holdfast client = readerClients.get(i % 2);
            OwnerThread t = thread("reader" + i);
            entered.add(t.submit(() -> {
                RLock read = rw(client, "many").readLock();
                read.lock();
                long in = System.nanoTime();
                allIn.countDown();
                leave.await(); // every reader holds the lock at the same time
                read.unlock();
                return in;
            }));
        }
        // every reader made its attempt after its client had subscribed (the first reader of a client
        // subscribes, then tries again; the others join the subscribed channel before their one
        // attempt): each is parked (or about to be), and a release now reaches it
        await().atMost(Duration.ofSeconds(20)).until(() -> commandCalls("evalsha") - attemptsBefore >= readers + 2L
                && readerClients.stream().allMatch(h -> h.subscribedChannels() == 1));
        assertThat(allIn.getCount()).isEqualTo(readers);

        long released = System.nanoTime();
        write.unlock();
        assertThat(allIn.await(20, TimeUnit.SECONDS)).isTrue();
        for (Future<Long> f : entered) {
            assertThat(f).as("every reader holds the lock while the others do").isNotDone();
        }
        leave.countDown();
        long slowest = 0;
        for (Future<Long> f : entered) {
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(f.get(10, TimeUnit.SECONDS) - released));
        }
        System.out.println("20 blocked readers: last one in " + slowest + " ms after the write release");
        assertThat(slowest).as("ms from the write release to the last reader in").isLessThan(PROMPT_MILLIS);
        assertThat(rw(a, "many").readLock().isLocked()).isFalse();
    }

    @Test
    void aWriter_getsIn_whileSixReadersKeepCycling() throws Exception {
        List<Holdfast> clients = List.of(a, b, c);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean writing = new AtomicBoolean();
        AtomicBoolean overlap = new AtomicBoolean();
        List<AtomicLong> cycles = new ArrayList<>();
        List<Future<Object>> readers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Holdfast client = clients.get(i % 3);
            AtomicLong done = new AtomicLong();
            cycles.add(done);
            readers.add(thread("cycling-reader" + i).submit(() -> {
                RLock read = rw(client, "busy").readLock();
                while (!stop.get()) {
                    read.lock();
                    try {
                        overlap.compareAndSet(false, writing.get());
                        // simulated work: readers overlap, so the lock is never free for long
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(10, 40)));
                        overlap.compareAndSet(false, writing.get());
                        // counted while still held: once the writer is in, no reader's count can
                        // still move (counted after unlock, one could land after the snapshot below)
                        done.incrementAndGet();
                    } finally {
                        read.unlock();
                    }
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> cycles.stream().allMatch(n -> n.get() >= 3));

        RLock write = rw(a, "busy").writeLock();
        long start = System.nanoTime();
        assertThat(write.tryLock(30, TimeUnit.SECONDS)).isTrue();
        long waitedMillis = millisSince(start);
        writing.set(true);
        long frozen = cycles.stream().mapToLong(AtomicLong::get).sum();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> cycles.stream().mapToLong(AtomicLong::get).sum() == frozen);
        writing.set(false);
        write.unlock();
        await().atMost(Duration.ofSeconds(10)).until(() -> cycles.stream().mapToLong(AtomicLong::get).sum() > frozen + 6);
        stop.set(true);
        for (Future<Object> r : readers) {
            r.get(10, TimeUnit.SECONDS);
        }
        System.out.println("writer under 6 cycling readers: got in after " + waitedMillis + " ms");
        assertThat(waitedMillis).as("ms the writer waited behind six cycling readers").isLessThan(10_000);
        assertThat(overlap.get()).as("a reader inside while the writer held the lock").isFalse();
    }
}
