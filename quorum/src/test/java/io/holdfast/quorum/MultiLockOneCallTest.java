package io.holdfast.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.WrongKeyTypeException;
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
 * The multi-lock's members that one script call can take together (one client, one kind, one
 * server; on a Cluster one slot, see {@code ClusterMultiLockTest}): one call takes all of them or
 * none, on two redis-servers started by the test. Script calls are counted on the server
 * ({@code INFO commandstats}).
 */
@Tag("integration")
class MultiLockOneCallTest {

    @RegisterExtension
    static final FiveMasters servers = new FiveMasters(2);

    private static final Duration LEASE = Duration.ofMillis(900);

    /** Two clients of server 0 (x1, x2), one of server 1 (y1). */
    private Holdfast x1;
    private Holdfast x2;
    private Holdfast y1;

    @BeforeEach
    void connect() {
        x1 = client(0);
        x2 = client(0);
        y1 = client(1);
    }

    private Holdfast client(int server) {
        return servers.client(server, LEASE);
    }

    private OwnerThread thread(String name) {
        return servers.thread(name);
    }


    @Test
    void membersOfOneClientAndServer_areTakenAndReleasedByOneScriptCall() {
        RLock all = MultiLock.of(x1.getLock("a"), x1.getLock("b"), x1.getLock("c"));
        all.lock(); // loads the scripts
        all.unlock();
        long before = servers.scriptCalls(0);
        all.lock();
        assertThat(servers.scriptCalls(0) - before).as("one script call takes the three members").isEqualTo(1);
        for (String name : List.of("a", "b", "c")) {
            assertThat(x2.getLock(name).isLocked()).as(name).isTrue();
        }
        long token = all.currentLease().orElseThrow().fencingToken();
        assertThat(token).as("the largest of the members' tokens").isPositive();
        before = servers.scriptCalls(0);
        all.unlock();
        assertThat(servers.scriptCalls(0) - before).as("one script call releases the three").isEqualTo(1);
        for (String name : List.of("a", "b", "c")) {
            assertThat(x2.getLock(name).isLocked()).as(name).isFalse();
        }
        assertThat(x1.holdCount()).isZero();
        assertThat(x1.renewalCount()).isZero();

        RLock fair = MultiLock.of(x1.getFairLock("f1"), x1.getFairLock("f2"));
        fair.lock();
        fair.unlock();
        before = servers.scriptCalls(0);
        fair.lock();
        fair.unlock();
        assertThat(servers.scriptCalls(0) - before).as("fair locks too").isEqualTo(2);
    }

    /**
     * A busy member: the one call takes nothing (no member is taken and given back: the call that
     * finds the second member busy is the only one); the waiter queues at the busy member and gets
     * all of them when it is released.
     */
    @Test
    void aBusyMember_theCallTakesNothing_andTheWaiterGetsAllOnceItIsFree() throws Exception {
        RLock all = MultiLock.of(x1.getLock("order"), x1.getLock("stock"), x1.getLock("zone"));
        all.lock(); // loads the scripts
        all.unlock();
        RLock stock = x2.getLock("stock");
        stock.lock();
        long before = servers.scriptCalls(0);
        assertThat(all.tryLock()).isFalse();
        assertThat(servers.scriptCalls(0) - before).as("one call, nothing to give back").isEqualTo(1);
        assertThat(x2.getLock("order").isLocked()).isFalse();
        assertThat(x2.getLock("zone").isLocked()).isFalse();

        OwnerThread waiter = thread("multi-waiter");
        Future<Boolean> waiting = waiter.submit(() -> all.tryLock(10, TimeUnit.SECONDS));
        await().atMost(Duration.ofSeconds(5)).until(() -> servers.get(0).commands().zcard("holdfast:{stock}:queue") == 1);
        stock.unlock();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        for (String name : List.of("order", "stock", "zone")) {
            assertThat(x2.getLock(name).isLocked()).as(name).isTrue();
        }
        waiter.run(all::unlock);
        assertThat(x2.getLock("stock").isLocked()).isFalse();
    }

    /** Members on two servers: one call per server; another kind or client on the same server: a call of its own. */
    @Test
    void oneCallPerSetOfMembersThatCanGoTogether() {
        RLock mixed = MultiLock.of(x1.getLock("p"), x1.getLock("q"), y1.getLock("r"), y1.getLock("s"));
        mixed.lock();
        mixed.unlock();
        long before0 = servers.scriptCalls(0);
        long before1 = servers.scriptCalls(1);
        mixed.lock();
        assertThat(servers.scriptCalls(0) - before0).isEqualTo(1);
        assertThat(servers.scriptCalls(1) - before1).isEqualTo(1);
        mixed.unlock();

        RLock apart = MultiLock.of(x1.getLock("u"), x1.getFairLock("v"), x2.getLock("w"));
        apart.lock();
        apart.unlock();
        before0 = servers.scriptCalls(0);
        apart.lock();
        assertThat(servers.scriptCalls(0) - before0).as("three kinds or clients: three calls").isEqualTo(3);
        apart.unlock();
    }

    /**
     * The server freezes while the call is in flight: the call is cut off after the member timeout,
     * the acquisition gives up when its wait ends, and the grant that comes when the server goes on
     * is given back, not kept or renewed.
     */
    @Test
    void aCallCutOffByAFrozenServer_isGivenBackWhenItAnswers() throws Exception {
        RLock both = MultiLock.of(x1.getLock("late-a"), x1.getLock("late-b"));
        both.lock(); // loads the scripts
        both.unlock();
        OwnerThread owner = thread("owner");
        servers.get(0).pause();
        boolean got;
        try {
            // an explicit lease of 1.5 s: the call is cut off after 500 ms (a third of it), before the
            // client's command timeout would fail it
            got = owner.call(() -> both.tryLock(200, 1_500, TimeUnit.MILLISECONDS));
        } finally {
            servers.get(0).resume();
        }
        assertThat(got).isFalse();
        await("the late grant is given back").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(x2.getLock("late-a").isLocked()).isFalse();
            assertThat(x2.getLock("late-b").isLocked()).isFalse();
            assertThat(x1.holdCount()).isZero();
            assertThat(x1.renewalCount()).isZero();
        });
        assertThat(owner.<Boolean>call(both::tryLock)).isTrue();
        owner.run(both::unlock);
    }

    /** A member's key of another type: the call fails naming that member's key, and nothing is held. */
    @Test
    void aMemberKeyOfAnotherType_failsNamingItsKey_andNothingIsHeld() {
        servers.get(0).commands().set("holdfast:{wt-b}", "somebody else's data");
        RLock both = MultiLock.of(x1.getLock("wt-a"), x1.getLock("wt-b"));
        assertThatThrownBy(both::tryLock).isInstanceOf(WrongKeyTypeException.class)
                .hasMessageContaining("'holdfast:{wt-b}'");
        assertThat(x2.getLock("wt-a").isLocked()).isFalse();
        assertThat(x1.holdCount()).isZero();
        assertThat(servers.get(0).commands().get("holdfast:{wt-b}")).isEqualTo("somebody else's data");
    }

    /**
     * Multi-locks over overlapping sets ({a, b}, {b, c}, {a, c}) and holders of single members,
     * all on one server: nobody ever holds a member another one holds, and nobody is stuck.
     */
    @Test
    void overlappingSets_andSingleHolders_neverOverlap() throws Exception {
        int rounds = 60;
        List<String> names = List.of("a", "b", "c");
        AtomicInteger[] inside = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        AtomicReference<String> overlap = new AtomicReference<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        int[][] sets = {{0, 1}, {1, 2}, {0, 2}, {1}, {0, 1, 2}};
        for (int[] set : sets) {
            Holdfast client = client(0);
            List<RLock> members = new ArrayList<>();
            for (int m : set) {
                members.add(client.getLock(names.get(m)));
            }
            RLock lock = members.size() == 1 ? members.get(0) : MultiLock.of(members.toArray(RLock[]::new));
            OwnerThread t = thread("contender");
            all.add(CompletableFuture.runAsync(() -> t.run(() -> {
                for (int i = 0; i < rounds; i++) {
                    lock.lock();
                    try {
                        for (int m : set) {
                            if (inside[m].incrementAndGet() != 1) {
                                overlap.set("two holders of " + names.get(m) + " at once");
                            }
                        }
                        for (int m : set) {
                            inside[m].decrementAndGet();
                        }
                    } finally {
                        lock.unlock();
                    }
                }
            })));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        assertThat(overlap.get()).isNull();
        for (String name : names) {
            assertThat(x1.getLock(name).isLocked()).as(name).isFalse();
        }
    }
}
