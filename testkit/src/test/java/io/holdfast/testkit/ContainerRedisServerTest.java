package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exercises the Docker fallback directly. Reported as skipped (not silently passed) on
 * machines without a Docker daemon.
 */
class ContainerRedisServerTest {

    @Test
    void container_answersPing_andRefusesProcessControl() {
        assumeTrue(ContainerRedisServer.dockerAvailable(), "no Docker daemon on this machine");
        try (RedisServer redis = ContainerRedisServer.start(List.of(), "pw")) {
            assertThat(redis.commands().ping()).isEqualTo("PONG");
            assertThat(redis.uri()).startsWith("redis://:pw@");
            assertThatThrownBy(redis::kill).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(redis::pause).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
