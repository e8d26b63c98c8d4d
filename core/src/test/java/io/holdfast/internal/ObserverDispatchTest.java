package io.holdfast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastObserver.LossCause;
import io.holdfast.LockLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the engine's events reach the user's observer: in order, off the caller, never throwing. */
class ObserverDispatchTest {

    @Test
    void noObserver_isTheNoOpItself_soNothingIsQueued() {
        assertThat(ObserverDispatch.of(HoldfastObserver.NONE, r -> {
            throw new AssertionError("nothing may be queued");
        })).isSameAs(HoldfastObserver.NONE);
    }

    @Test
    void eventsFromManyThreads_reachTheObserverOneAtATime_inTheOrderOfEachThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        int[] inside = {0};
        HoldfastObserver target = new HoldfastObserver() {
            @Override
            public void handOverReceived(String lockName, String kind) {
                synchronized (inside) {
                    assertThat(++inside[0]).as("one event at a time").isEqualTo(1);
                }
                seen.add(lockName + " " + kind);
                synchronized (inside) {
                    inside[0]--;
                }
            }
        };
        ExecutorService callbacks = Executors.newFixedThreadPool(4);
        ExecutorService posters = Executors.newFixedThreadPool(4);
        HoldfastObserver dispatch = ObserverDispatch.of(target, callbacks);
        for (int t = 0; t < 4; t++) {
            String thread = "t" + t;
            posters.execute(() -> {
                for (int i = 0; i < 1000; i++) {
                    dispatch.handOverReceived(thread, Integer.toString(i));
                }
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 4000);
        for (int t = 0; t < 4; t++) {
            String prefix = "t" + t + " ";
            List<Integer> order = new ArrayList<>();
            seen.stream().filter(e -> e.startsWith(prefix)).forEach(e -> order.add(Integer.parseInt(e.substring(prefix.length()))));
            assertThat(order).hasSize(1000).isSorted();
        }
        posters.shutdown();
        callbacks.shutdown();
        assertThat(callbacks.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void observerThatThrows_isLoggedAndTheNextEventsStillCome() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        HoldfastObserver target = new HoldfastObserver() {
            @Override
            public void released(String lockName, String kind, long heldNanos) {
                seen.add(heldNanos);
                throw new IllegalStateException("observer failure under test");
            }
        };
        ExecutorService callbacks = Executors.newSingleThreadExecutor();
        HoldfastObserver dispatch = ObserverDispatch.of(target, callbacks);
        dispatch.released("a", "exclusive", 1);
        dispatch.released("a", "exclusive", 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
        assertThat(seen).containsExactly(1L, 2L);
        callbacks.shutdown();
    }

    @Test
    void closedExecutor_dropsTheEvents_withoutThrowingIntoTheEngine() {
        HoldfastObserver dispatch = ObserverDispatch.of(new HoldfastObserver() { }, r -> {
            throw new RejectedExecutionException("closed");
        });
        dispatch.renewed(1, 0, 5);
        dispatch.renewed(1, 0, 5);
    }

    @Test
    void lossCause_fromTheReasonsTheEngineAndTheWatchdogGive() {
        assertThat(ObserverDispatch.cause(new LockLostException("x", "force-unlocked"))).isEqualTo(LossCause.FORCE_UNLOCKED);
        assertThat(ObserverDispatch.cause(new LockLostException("a' was lost: b",
                "its owner ended without unlocking; renewal stopped, the lease runs out on the server")))
                .isEqualTo(LossCause.OWNER_ENDED);
        assertThat(ObserverDispatch.cause(new LockLostException("x",
                "not renewed before its lease of 600 ms ran out (Redis unreachable?)"))).isEqualTo(LossCause.NOT_RENEWED);
        assertThat(ObserverDispatch.cause(new LockLostException("x",
                "the server no longer has it (lease expired or key deleted)"))).isEqualTo(LossCause.GONE_FROM_SERVER);
        assertThat(ObserverDispatch.cause(new LockLostException("x",
                "not held on the server at unlock (lease expired or force-unlocked)"))).isEqualTo(LossCause.GONE_FROM_SERVER);
    }

    @Test
    void composite_tellsEachObserverEveryEventInOrder_andOneThatThrowsDoesNotStopTheOthers() {
        List<String> seen = new ArrayList<>();
        HoldfastObserver first = new HoldfastObserver() {
            @Override
            public void released(String lockName, String kind, long heldNanos) {
                seen.add("first " + lockName);
                throw new IllegalStateException("observer bug");
            }
        };
        HoldfastObserver second = new HoldfastObserver() {
            @Override
            public void released(String lockName, String kind, long heldNanos) {
                seen.add("second " + lockName);
            }

            @Override
            public void leaseLost(String lockName, String kind, LossCause cause) {
                seen.add("second lost " + cause);
            }
        };
        HoldfastObserver both = HoldfastObserver.composite(List.of(first, second));
        both.released("a", "exclusive", 1);
        both.leaseLost("a", "exclusive", LossCause.NOT_RENEWED);
        assertThat(seen).containsExactly("first a", "second a", "second lost NOT_RENEWED");
        assertThat(HoldfastObserver.composite(List.of(second))).isSameAs(second);
        assertThat(HoldfastObserver.composite(List.of())).isSameAs(HoldfastObserver.NONE);
    }
}
