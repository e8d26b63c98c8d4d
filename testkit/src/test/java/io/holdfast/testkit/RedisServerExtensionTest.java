package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs in declaration order on purpose: each test checks what the extension did between it
 * and the previous one.
 */
@TestMethodOrder(OrderAnnotation.class)
@Tag("integration")
class RedisServerExtensionTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static int port;
    private static String scriptSha;

    @Test
    @Order(1)
    void firstTest_leavesDataAndScriptBehind() {
        port = redis.server().port();
        redis.commands().set("left", "over");
        scriptSha = redis.commands().scriptLoad("return 1");
        assertThat(redis.uri()).isEqualTo(redis.server().uri());
    }

    @Test
    @Order(2)
    void flushBeforeEach_removesDataAndScripts() {
        assertThat(redis.commands().get("left")).isNull();
        assertThat(redis.commands().scriptExists(scriptSha)).containsExactly(false);
    }

    @Test
    @Order(3)
    void killServer() {
        redis.server().kill();
    }

    @Test
    @Order(4)
    void killedServer_isRestartedOnSamePort() {
        assertThat(redis.server().isRunning()).isTrue();
        assertThat(redis.server().port()).isEqualTo(port);
        assertThat(redis.commands().ping()).isEqualTo("PONG");
    }

    @Test
    @Order(5)
    void pauseServer() {
        redis.server().pause();
    }

    @Test
    @Order(6)
    void pausedServer_isResumed() {
        assertThat(redis.server().isPaused()).isFalse();
        assertThat(redis.commands().ping()).isEqualTo("PONG");
    }

    @Nested
    class NestedTests {
        @Test
        void nestedClass_sharesOuterServer() {
            assertThat(redis.server().port()).isEqualTo(port);
        }
    }
}
