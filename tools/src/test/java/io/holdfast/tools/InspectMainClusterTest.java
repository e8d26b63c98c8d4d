package io.holdfast.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisClusterGroup;
import io.holdfast.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ./holdfast inspect --redis redis-cluster://...} on a real 3-master Cluster. */
@Tag("integration")
class InspectMainClusterTest {

    private static RedisClusterGroup cluster;

    @BeforeAll
    static void start() {
        cluster = RedisClusterGroup.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static String uri() {
        return "redis-cluster://" + cluster.servers().stream().map(n -> n.host() + ":" + n.port())
                .collect(Collectors.joining(","));
    }

    private static String run(String stdin, int expectedCode, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = InspectMain.run(args, out, new BufferedReader(new StringReader(stdin)));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(expectedCode);
        return text;
    }

    /** One lock name per master. */
    private static List<String> namesOnEveryMaster() {
        Map<RedisServer, String> byMaster = new LinkedHashMap<>();
        for (int i = 0; byMaster.size() < cluster.masters().size(); i++) {
            byMaster.putIfAbsent(cluster.nodeFor("holdfast:{shard:" + i + "}"), "shard:" + i);
        }
        return new ArrayList<>(byMaster.values());
    }

    @Test
    void aPatternFindsTheLocksOfEveryMaster_andForceUnlockFreesALockOnAnyMaster() throws Exception {
        List<String> names = namesOnEveryMaster();
        try (Holdfast a = Holdfast.connect(HoldfastOptions.builder(uri()).build())) {
            for (String name : names) {
                a.getLock(name).lock();
            }
            String all = run("", 0, "--redis", uri(), "shard:*");
            for (String name : names) {
                assertThat(all).contains("lock '" + name + "'  exclusive, held");
            }
            assertThat(all).contains("pid " + ProcessHandle.current().pid());

            RLock last = a.getLock(names.get(2));
            String unlocked = run("", 0, "--redis", uri(), "--force-unlock", names.get(2), "--yes");
            assertThat(unlocked).contains("force-unlocked '" + names.get(2) + "'");
            assertThat(last.isLocked()).isFalse();
            Assertions.assertThatThrownBy(last::unlock).isInstanceOf(LockLostException.class);
            assertThat(run("", 1, "--redis", uri(), names.get(2))).as("nothing left of it").contains("no lock found");
            assertThat(a.getLock(names.get(0)).isLocked()).isTrue();
        }
    }
}
