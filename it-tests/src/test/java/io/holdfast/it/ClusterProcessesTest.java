package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mutual exclusion between child JVMs on a Redis Cluster, with the locks spread over every master:
 * each lock is only ever held by one critical section at a time, and its counter (a non-atomic
 * increment on the lock's master) is exact.
 */
@Tag("integration")
class ClusterProcessesTest {

    @RegisterExtension
    static final ClusterTopology cluster = new ClusterTopology();

    @Test
    void threeJvms_locksOnEveryMaster_countsAreExact_andNoCriticalSectionsOfOneLockOverlap() {
        List<String> names = cluster.namesOnEveryMaster("spread-", 2);
        int jvms = 3;
        int threads = 3;
        int ops = 40;
        try (WorkerChildren children = WorkerChildren.start(ClusterCounterMain.class, jvms,
                i -> new String[] {cluster.uri(), String.join(",", names), Integer.toString(threads),
                    Integer.toString(ops)})) {
            List<String> lines = children.awaitDone(Duration.ofSeconds(180));
            List<Interval> all = WorkerChildren.intervals(lines);
            assertThat(all).hasSize(jvms * threads * ops);
            long counted = 0;
            for (int index = 0; index < names.size(); index++) {
                String suffix = " " + index;
                List<Interval> ofLock = WorkerChildren.intervals(lines.stream().filter(l -> l.endsWith(suffix)).toList());
                String counter = "{" + names.get(index) + "}:counter";
                assertThat(cluster.nodeFor(counter).commands().get(counter)).as("counter of %s", names.get(index))
                        .isEqualTo(Integer.toString(ofLock.size()));
                assertThat(Overlaps.of(ofLock).withWrite()).as("overlapping holds of %s", names.get(index)).isEmpty();
                counted += ofLock.size();
            }
            assertThat(counted).isEqualTo(jvms * threads * ops);
        }
    }
}
