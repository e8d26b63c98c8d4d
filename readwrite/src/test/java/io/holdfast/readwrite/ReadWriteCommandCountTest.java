package io.holdfast.readwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one read acquire and release cost on the server, counted with INFO commandstats deltas:
 * the same whether one or a hundred other readers hold the lock (no script scans the holds).
 */
@Tag("integration")
class ReadWriteCommandCountTest extends ReadWriteFixture {

    @Test
    void readAcquireAndRelease_costTheSame_withOneOrAHundredOtherReaders() {
        Map<String, Map<String, Long>> alone = readCycle("alone", 1);
        Map<String, Map<String, Long>> crowded = readCycle("crowded", 100);
        System.out.println("commands per step, 1 other reader:    " + alone);
        System.out.println("commands per step, 100 other readers: " + crowded);
        assertThat(crowded).isEqualTo(alone);
        assertThat(alone.values()).allSatisfy(step -> assertThat(step).containsEntry("evalsha", 1L).doesNotContainKey("eval"));
        // issue 17: a reader joining readers ran 11 commands and its release 6 (TYPE and HEXISTS
        // before the HMGET that reads the mode anyway, a second TIME for the token, a second HDEL);
        // and it wrote both keys' TTL on nearly every acquisition, now once per half lease
        assertThat(total(alone.get("fresh read acquire")) - 1).as("inside the script").isLessThanOrEqualTo(8);
        assertThat(alone.get("fresh read acquire")).as("the keys live a lease more already: TTLs left alone")
                .doesNotContainKey("pexpire");
        assertThat(total(alone.get("read release, last level")) - 1).as("inside the script").isLessThanOrEqualTo(5);
    }

    @Test
    void aLoneReader_onAFreeLock_takesOneScriptCallOfAFewCommandsEachWay() {
        Holdfast quiet = client(Duration.ofSeconds(30));
        RLock warmUp = rw(quiet, "warm-up").readLock();
        warmUp.lock();
        warmUp.unlock();
        RLock read = rw(quiet, "lone").readLock();
        Map<String, Long> acquire = count(read::lock);
        for (String key : new String[] {key("lone"), key("lone") + ":leases"}) {
            assertThat(redis.commands().pttl(key)).as(key + ": a lease and a half, set once")
                    .isBetween(30_001L, 45_000L);
        }
        Map<String, Long> release = count(read::unlock);
        System.out.println("commands, first reader on a free lock: " + acquire);
        System.out.println("commands, last reader leaving (frees the lock, wakes): " + release);
        assertThat(acquire).containsEntry("evalsha", 1L).doesNotContainKeys("scan", "hgetall", "hkeys", "keys");
        assertThat(release).containsEntry("evalsha", 1L).containsEntry("publish", 1L);
        // the fencing token's SET ... GET (one rule for every kind, fencing-token.lua) included
        assertThat(total(acquire)).isLessThanOrEqualTo(12);
        assertThat(total(release)).isLessThanOrEqualTo(9);
    }

    private static long total(Map<String, Long> commands) {
        return commands.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Runs each step of a read hold's life with {@code others} readers present; commands per step. */
    private Map<String, Map<String, Long>> readCycle(String name, int others) {
        long deadline = serverMillis() + 60_000;
        for (int i = 0; i < others; i++) {
            // another client's reader, as the server sees it
            redis.commands().hset(key(name), "r:other-" + i, "1");
            redis.commands().zadd(key(name) + ":leases", deadline, "r:other-" + i);
        }
        redis.commands().hset(key(name), "mode", "read");
        redis.commands().pexpire(key(name), 60_000);
        redis.commands().pexpire(key(name) + ":leases", 60_000);

        Holdfast quiet = client(Duration.ofSeconds(30)); // no renewal during the count
        RLock warmUp = rw(quiet, name + "-warm-up").readLock(); // scripts loaded: EVALSHA, never EVAL
        warmUp.lock();
        warmUp.unlock();
        RLock read = rw(quiet, name).readLock();
        Map<String, Map<String, Long>> steps = new TreeMap<>();
        steps.put("fresh read acquire", count(read::lock));
        steps.put("read re-entry", count(read::lock));
        steps.put("read release, levels left", count(read::unlock));
        steps.put("read release, last level", count(read::unlock));
        return steps;
    }

    private static Map<String, Long> count(Runnable step) {
        Map<String, Long> before = commandStats();
        step.run();
        Map<String, Long> delta = new TreeMap<>();
        commandStats().forEach((command, calls) -> {
            long d = calls - before.getOrDefault(command, 0L);
            if (d > 0 && !command.equals("info")) {
                delta.put(command, d);
            }
        });
        return delta;
    }

    private static Map<String, Long> commandStats() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : redis.commands().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                String fields = line.substring(line.indexOf(':') + 1);
                calls.put(command, Long.parseLong(fields.substring("calls=".length(), fields.indexOf(','))));
            }
        }
        return calls;
    }
}
