package io.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batched renewal scripts of the shared hash hold model ({@code renew-hash.lua},
 * {@code renew-hash-plain.lua}) on their own, against a real Redis.
 */
@Tag("integration")
class HashRenewalScriptsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void aBatch_reportsAKeyOfAnotherTypeAndAMissingHoldAsGone_andRenewsTheRest() {
        RedisCommands<String, String> r = redis.commands();
        r.hset("held", "h:1", "1");
        r.pexpire("held", 10_000);
        r.set("not-a-hash", "x");
        for (String name : List.of("renew-hash.lua", "renew-hash-plain.lua")) {
            Script renew = Script.load(Script.class, name);
            List<Long> out = r.eval(renew.source(), ScriptOutputType.MULTI,
                    new String[] {"not-a-hash", "held", "held"}, "60000", "1", "h:1", "h:1", "other:1");
            assertThat(out).as(name).containsExactly(0L, 1L, 0L);
            assertThat(r.pttl("held")).as(name).isGreaterThan(59_000L);
            r.pexpire("held", 10_000);
        }
        assertThat(r.get("not-a-hash")).isEqualTo("x");
    }

    @Test
    void renewedHolds_liveTheLeaseFromTheCall_andOnlyTheFullScriptKeepsALongerOne() {
        RedisCommands<String, String> r = redis.commands();
        String[] keys = {"a", "b", "long"};
        for (String name : List.of("renew-hash.lua", "renew-hash-plain.lua")) {
            for (String key : keys) {
                r.hset(key, "h:1", "1");
                r.pexpire(key, key.equals("long") ? 600_000 : 10_000);
            }
            Script renew = Script.load(Script.class, name);
            long before = serverMillis(r);
            List<Long> out = r.eval(renew.source(), ScriptOutputType.MULTI, keys, "60000", "1", "h:1", "h:1", "h:1");
            assertThat(out).as(name).containsExactly(1L, 1L, 1L);
            for (String key : List.of("a", "b")) {
                long ttl = r.pttl(key);
                long after = serverMillis(r);
                // the key expires at after + ttl at the latest: not before the call's start + the lease
                // (a lease cut short, which the client would not know of), nor more than the lease from now
                assertThat(after + ttl).as(name + " " + key + ": expiry").isGreaterThanOrEqualTo(before + 60_000);
                assertThat(ttl).as(name + " " + key).isLessThanOrEqualTo(60_000L);
            }
            if (name.equals("renew-hash.lua")) {
                assertThat(r.pttl("long")).as(name + ": a longer lease stays").isGreaterThan(599_000L);
            } else {
                assertThat(r.pttl("long")).as(name + ": sets the lease, whatever was there").isBetween(59_000L, 60_000L);
            }
        }
    }

    @Test
    void plainRenewal_refusesItemsOfMoreThanOneKey_changingNothing() {
        RedisCommands<String, String> r = redis.commands();
        r.hset("held", "h:1", "1");
        r.pexpire("held", 10_000);
        Script renew = Script.load(Script.class, "renew-hash-plain.lua");
        assertThatThrownBy(() -> r.eval(renew.source(), ScriptOutputType.MULTI, new String[] {"held", "held"}, "60000", "2", "h:1"))
                .hasMessageContaining("one key per item");
        assertThat(r.pttl("held")).isLessThanOrEqualTo(10_000L);
    }

    /** The server's clock, in ms (TIME). */
    private static long serverMillis(RedisCommands<String, String> r) {
        List<String> t = r.time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
    }
}
