package io.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;

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
}
