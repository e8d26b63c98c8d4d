package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Distributed conditions across real processes: a bounded buffer whose producers and consumers
 * live in different child JVMs ({@link BoundedBufferMain}) and wait for each other on two named
 * conditions of one reentrant lock. A lost signal would leave a producer or a consumer waiting for
 * ever (the run misses its deadline); a signal that let two threads in at once, or a broken
 * exclusion, would lose or duplicate an item.
 */
@Tag("integration")
class ConditionProcessesTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void boundedBuffer_producersAndConsumersInFourJvms_nothingLostNothingDuplicated_andBothConditionsWaitedOn() {
        int producers = 2;
        int consumers = 2;
        int threads = 2;
        int perThread = 50;
        int capacity = 1;
        int total = producers * threads * perThread;
        long start = System.nanoTime();
        try (WorkerChildren children = WorkerChildren.start(BoundedBufferMain.class, producers + consumers,
                i -> new String[] {redis.uri(), "buffer", i < producers ? "producer" : "consumer", Integer.toString(i),
                    Integer.toString(threads), Integer.toString(perThread), Integer.toString(total),
                    Integer.toString(capacity)})) {
            List<String> lines = children.awaitDone(Duration.ofSeconds(180));
            List<String> produced = lines.stream().filter(l -> l.startsWith("P ")).map(l -> l.substring(2)).toList();
            List<String> consumed = lines.stream().filter(l -> l.startsWith("C ")).map(l -> l.substring(2)).toList();
            Set<String> expected = new HashSet<>();
            for (int p = 0; p < producers; p++) {
                for (int t = 0; t < threads; t++) {
                    for (int k = 0; k < perThread; k++) {
                        expected.add(p + "-" + t + "-" + k);
                    }
                }
            }
            assertThat(produced).hasSize(total);
            assertThat(new HashSet<>(produced)).isEqualTo(expected);
            assertThat(consumed).as("every item taken exactly once").hasSize(total).doesNotHaveDuplicates();
            assertThat(new HashSet<>(consumed)).isEqualTo(expected);
            assertThat(redis.commands().llen("buffer:items")).isZero();
            long fullWaits = lines.stream().filter("W notFull"::equals).count();
            long emptyWaits = lines.stream().filter("W notEmpty"::equals).count();
            assertThat(fullWaits).as("producers waited for room").isPositive();
            assertThat(emptyWaits).as("consumers waited for items").isPositive();
            assertThat(redis.commands().keys("holdfast:{buffer}:condition*")).as("no waiter left behind").isEmpty();
            System.out.println("bounded buffer: " + total + " items through capacity " + capacity + " in "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms (JVM starts included), "
                    + fullWaits + " waits for room, " + emptyWaits + " for items");
        }
    }
}
