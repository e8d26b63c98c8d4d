package io.holdfast.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.Lease;
import io.holdfast.LeaseState;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The multi-lock over locks on two independent redis-servers started by the test: all or none,
 * no deadlock between clients that name the members in different orders, a member's loss is the
 * group's, any kinds of lock.
 */
@Tag("integration")
class MultiLockTest {

    @RegisterExtension
    static final FiveMasters servers = new FiveMasters(2);

    private static final Duration LEASE = Duration.ofMillis(900);

    /** Two clients of each server: x1, x2 on server 0; y1, y2 on server 1. */
    private Holdfast x1;
    private Holdfast x2;
    private Holdfast y1;
    private Holdfast y2;

    @BeforeEach
    void connect() {
        x1 = client(0);
        x2 = client(0);
        y1 = client(1);
        y2 = client(1);
    }

    private Holdfast client(int server) {
        return servers.client(server, LEASE);
    }

    private OwnerThread thread(String name) {
        return servers.thread(name);
    }

    @Test
    void aBusyMember_meansNothingIsTaken_andTheWaiterGetsAllOnceItIsFree() throws Exception {
        RLock stockElsewhere = y2.getLock("stock");
        stockElsewhere.lock();
        RLock both = MultiLock.of(x1.getLock("order"), y1.getLock("stock"));
        assertThat(both.tryLock()).isFalse();
        assertThat(both.tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(x1.getLock("order").isLocked()).as("all or none: the free member was given back").isFalse();

        OwnerThread waiter = thread("multi-waiter");
        Future<Boolean> waiting = waiter.submit(() -> both.tryLock(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> y1.subscribedChannels() == 1);
        stockElsewhere.unlock();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(x2.getLock("order").isLocked()).isTrue();
        assertThat(y2.getLock("stock").isLocked()).isTrue();
        assertThat(waiter.call(both::isHeldByCurrentThread)).isTrue();
        waiter.run(both::unlock);
        assertThat(x2.getLock("order").isLocked()).isFalse();
        assertThat(y2.getLock("stock").isLocked()).isFalse();
    }

    /**
     * While the multi-lock last found its first member free, an attempt asks every member at once
     * (one round trip): with the first member's server frozen, the second member is taken before
     * the first answers (asked one after the other, it would not have been asked yet). Once an
     * attempt finds the first member taken, the next ones ask it alone first and do not touch the
     * others while it stays taken; found free again, it is all at once again.
     */
    @Test
    void firstMemberFree_everyMemberIsAskedAtOnce_firstMemberTaken_itIsAskedAlone() throws Exception {
        RLock both = MultiLock.of(x1.getLock("m-a"), y1.getLock("m-b")); // member order: m-a first
        OwnerThread owner = thread("multi-owner");

        takesTheSecondWhileTheFirstIsFrozen(both, owner, "the second member is taken while the first one's server has not answered");

        RLock first = x2.getLock("m-a");
        first.lock();
        assertThat(owner.call(() -> both.tryLock(100, TimeUnit.MILLISECONDS))).isFalse(); // finds m-a taken
        long before = servers.scriptCalls(1);
        assertThat(owner.call(() -> both.tryLock(100, TimeUnit.MILLISECONDS))).isFalse();
        assertThat(owner.<Boolean>call(() -> both.tryLock())).isFalse();
        assertThat(servers.scriptCalls(1)).as("the second member is not asked while the first is known taken").isEqualTo(before);
        first.unlock();

        assertThat(owner.<Boolean>call(() -> both.tryLock())).isTrue(); // the first member alone, then the second
        owner.run(both::unlock);
        takesTheSecondWhileTheFirstIsFrozen(both, owner, "found free again: every member at once again");
    }

    /**
     * Freezes server 0 (the first member's), takes {@code both} on {@code owner} and checks that the
     * second member ({@code m-b}, on server 1) is taken before the first one answers; then lets
     * server 0 go on and releases.
     */
    private static void takesTheSecondWhileTheFirstIsFrozen(RLock both, OwnerThread owner, String why) throws Exception {
        servers.get(0).pause();
        Future<Boolean> taking;
        try {
            // an explicit lease of 30 s: each member attempt is waited for 10 s (a third of it)
            taking = owner.submit(() -> both.tryLock(20, 30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(servers.get(1).commands()
                    .exists("holdfast:{m-b}")).as(why).isEqualTo(1));
        } finally {
            servers.get(0).resume();
        }
        assertThat(taking.get(15, TimeUnit.SECONDS)).isTrue();
        owner.run(both::unlock);
    }


    /**
     * An unlock lets every member go at once (the first member's release is sent last, not after
     * the others answered): with the second member's server frozen, the first member is free before
     * the second one answers.
     */
    @Test
    void unlock_releasesEveryMemberAtOnce() throws Exception {
        RLock both = MultiLock.of(x1.getLock("r-a"), y1.getLock("r-b"));
        OwnerThread owner = thread("multi-owner");
        owner.run(both::lock);
        servers.get(1).pause();
        Future<Void> unlocking;
        try {
            unlocking = owner.submit(() -> {
                both.unlock();
                return null;
            });
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(servers.get(0).commands()
                    .exists("holdfast:{r-a}")).as("the first member is free before the second one answered").isZero());
        } finally {
            servers.get(1).resume();
        }
        unlocking.get(10, TimeUnit.SECONDS);
        assertThat(y2.getLock("r-b").isLocked()).isFalse();
    }

    @Test
    void twoClientsLockingABAndBAConcurrently_neverDeadlock_andNeverOverlap() throws Exception {
        int rounds = 100;
        RLock ab = MultiLock.of(x1.getLock("A"), y1.getLock("B"));
        RLock ba = MultiLock.of(y2.getLock("B"), x2.getLock("A"));
        AtomicInteger inside = new AtomicInteger();
        AtomicReference<String> overlap = new AtomicReference<>();
        var counter = servers.get(0).commands();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RLock multi : List.of(ab, ba, ab, ba)) {
            OwnerThread t = thread("racer");
            all.add(CompletableFuture.runAsync(() -> t.run(() -> {
                for (int i = 0; i < rounds; i++) {
                    multi.lock();
                    try {
                        if (inside.incrementAndGet() != 1) {
                            overlap.set("two holders of {A, B} at once");
                        }
                        // a non-atomic increment on Redis (GET, then SET, two round trips): an
                        // overlap of two holders loses an update, which the count below sees
                        String v = counter.get("counter");
                        counter.set("counter", Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
                        inside.decrementAndGet();
                    } finally {
                        multi.unlock();
                    }
                }
            })));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        assertThat(overlap.get()).isNull();
        assertThat(counter.get("counter")).as("no increment lost to an overlap").isEqualTo(Integer.toString(4 * rounds));
        assertThat(x1.getLock("A").isLocked()).isFalse();
        assertThat(y1.getLock("B").isLocked()).isFalse();
    }

    @Test
    void allOrNone_underContentionWithHoldersOfSingleMembers() throws Exception {
        int rounds = 60;
        RLock both = MultiLock.of(x1.getLock("order"), y1.getLock("stock"));
        RLock order = x2.getLock("order");
        RLock stock = y2.getLock("stock");
        AtomicInteger inOrder = new AtomicInteger();
        AtomicInteger inStock = new AtomicInteger();
        AtomicReference<String> overlap = new AtomicReference<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        List<Runnable> bodies = List.of(
                () -> {
                    both.lock();
                    try {
                        enter(inOrder, overlap, "order");
                        enter(inStock, overlap, "stock");
                        inOrder.decrementAndGet();
                        inStock.decrementAndGet();
                    } finally {
                        both.unlock();
                    }
                },
                () -> {
                    order.lock();
                    try {
                        enter(inOrder, overlap, "order");
                        inOrder.decrementAndGet();
                    } finally {
                        order.unlock();
                    }
                },
                () -> {
                    stock.lock();
                    try {
                        enter(inStock, overlap, "stock");
                        inStock.decrementAndGet();
                    } finally {
                        stock.unlock();
                    }
                });
        for (Runnable body : bodies) {
            OwnerThread t = thread("contender");
            all.add(CompletableFuture.runAsync(() -> t.run(() -> {
                for (int i = 0; i < rounds; i++) {
                    body.run();
                }
            })));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        assertThat(overlap.get()).isNull();
    }

    private static void enter(AtomicInteger inside, AtomicReference<String> overlap, String what) {
        if (inside.incrementAndGet() != 1) {
            overlap.set("two holders of " + what + " at once");
        }
    }

    @Test
    void oneMembersLoss_isReportedAsTheGroupsLoss() throws Exception {
        AtomicInteger told = new AtomicInteger();
        RLock both = MultiLock.of((lease, cause) -> told.incrementAndGet(), List.of(x1.getLock("order"), y1.getLock("stock")));
        both.lock();
        Lease lease = both.currentLease().orElseThrow();
        assertThat(x2.getLock("order").forceUnlock()).isTrue();
        LockLostException lost = lease.whenLost().toCompletableFuture().get(LEASE.toMillis() * 5, TimeUnit.MILLISECONDS);
        assertThat(lost).hasMessageContaining("order");
        assertThat(lease.state()).isEqualTo(LeaseState.LOST);
        await().atMost(Duration.ofSeconds(5)).until(() -> told.get() == 1);
        await("the other member was given back at once").atMost(Duration.ofSeconds(5))
                .until(() -> !y2.getLock("stock").isLocked());
        assertThatThrownBy(both::unlock).isInstanceOf(LockLostException.class);
        assertThat(told).hasValue(1);
        assertThat(x1.renewalCount() + y1.renewalCount()).isZero();
    }

    @Test
    void membersOfAnyKind_readWriteAndFair() throws Exception {
        RReadWriteLock rw = x1.getReadWriteLock("catalog");
        RLock both = MultiLock.of(rw.writeLock(), y1.getFairLock("queue"));
        both.lock();
        both.lock();
        assertThat(both.getHoldCount()).isEqualTo(2);
        OwnerThread other = thread("reader");
        assertThat(other.call(() -> x2.getReadWriteLock("catalog").readLock().tryLock())).isFalse();
        assertThat(other.call(() -> y2.getFairLock("queue").tryLock())).isFalse();
        both.unlock();
        assertThat(other.call(() -> y2.getFairLock("queue").tryLock())).isFalse();
        both.unlock();
        assertThat(other.call(() -> {
            RLock read = x2.getReadWriteLock("catalog").readLock();
            boolean got = read.tryLock();
            read.unlock();
            return got;
        })).isTrue();
        assertThat(both.isLocked()).isFalse();
    }

    @Test
    void badInput_isRefusedWithAClearError() {
        RLock a = x1.getLock("a");
        assertThatThrownBy(() -> MultiLock.of()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> MultiLock.of(a, a)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> MultiLock.of(a, null)).isInstanceOf(NullPointerException.class);
        RLock both = MultiLock.of(a, y1.getLock("b"));
        assertThatThrownBy(both::unlock).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("a,b");
        assertThatThrownBy(() -> both.lock(0, TimeUnit.SECONDS)).isInstanceOf(IllegalArgumentException.class);
    }
}
