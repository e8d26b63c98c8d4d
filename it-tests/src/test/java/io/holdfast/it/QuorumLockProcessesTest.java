package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The quorum lock across real processes: mutual exclusion between child JVMs over five masters. */
@Tag("integration")
class QuorumLockProcessesTest {

    private static final List<RedisServer> masters = new ArrayList<>();

    @BeforeAll
    static void startMasters() {
        for (int i = 0; i < 5; i++) {
            masters.add(RedisServer.start());
        }
    }

    @AfterAll
    static void stopMasters() throws Exception {
        for (RedisServer s : masters) {
            s.close();
        }
    }

    @Test
    void threeJvms_incrementACounterUnderTheQuorumLock_countIsExact_andNoCriticalSectionsOverlap() {
        int jvms = 3;
        int threads = 2;
        int ops = 40;
        RedisServer counter = masters.get(0);
        String[] args = Stream.concat(Stream.of(counter.uri(), "quorum-counter", Integer.toString(threads),
                Integer.toString(ops)), masters.stream().map(RedisServer::uri)).toArray(String[]::new);
        try (WorkerChildren children = WorkerChildren.start(QuorumCounterMain.class, jvms, i -> args)) {
            List<String> lines = children.awaitDone(Duration.ofSeconds(120));
            assertThat(lines).as("failures in the children").noneMatch(l -> l.startsWith("E "));
            List<Interval> intervals = WorkerChildren.intervals(lines);
            int acquisitions = jvms * threads * ops;
            assertThat(intervals).hasSize(acquisitions);
            assertThat(counter.commands().get("quorum-counter:counter")).isEqualTo(Integer.toString(acquisitions));
            assertThat(Overlaps.of(intervals).withWrite()).as("critical sections of different holders that overlap").isEmpty();
        }
        for (RedisServer s : masters) {
            assertThat(s.commands().exists("holdfast:{quorum-counter}")).as("left held on %s", s).isZero();
        }
    }
}
