package io.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.internal.fixtures.Anchor;
import org.junit.jupiter.api.Test;

/** Loading scripts and resolving their includes (no Redis needed). */
class ScriptTest {

    @Test
    void load_replacesIncludeLines_relativeAndAbsolute_eachFragmentOnce() {
        Script s = Script.load(Anchor.class, "main.lua");
        assertThat(s.name()).isEqualTo("io.holdfast.internal.fixtures/main.lua");
        assertThat(s.source()).isEqualTo("""
                -- test script
                -- [included /io/holdfast/internal/fixtures/part-a.lua]
                local function a() return 1 end
                -- [end of /io/holdfast/internal/fixtures/part-a.lua]
                -- [included /io/holdfast/internal/fixtures/part-b.lua]
                local function b() return a() end
                -- [end of /io/holdfast/internal/fixtures/part-b.lua]
                return a() + b()
                """);
        assertThat(s.sha()).hasSize(40);
    }

    @Test
    void load_missingFragment_namesIt() {
        assertThatThrownBy(() -> Script.load(Anchor.class, "missing.lua"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/io/holdfast/internal/fixtures/nowhere.lua");
    }

    @Test
    void load_coreFragment_fromAnotherPackage() {
        Script s = Script.load(ScriptTest.class, "hash-hold.lua");
        assertThat(s.source()).contains("local function grant(").contains("local function count_down(");
    }

    @Test
    void withShardedPubSub_swapsThePublishFragmentOnly() {
        Script classic = Script.load(Anchor.class, "publishing.lua");
        Script sharded = classic.withShardedPubSub();
        assertThat(classic.source()).contains("redis.call('PUBLISH', channel, message)").doesNotContain("SPUBLISH");
        assertThat(sharded.source()).contains("redis.call('SPUBLISH', channel, message)")
                .contains("if redis.REDIS_VERSION_NUM then").contains("return publish(KEYS[1], ARGV[1])");
        assertThat(sharded.sha()).isNotEqualTo(classic.sha());
        assertThat(sharded.withShardedPubSub()).isSameAs(sharded);
    }

    @Test
    void withShardedPubSub_ofAScriptThatPublishesNothing_isTheScriptItself() {
        Script s = Script.load(Anchor.class, "main.lua");
        assertThat(s.withShardedPubSub()).isSameAs(s);
    }
}
