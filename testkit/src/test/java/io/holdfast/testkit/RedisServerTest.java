package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises {@link RedisServer} against real redis-server processes. */
@Tag("integration")
class RedisServerTest {

    @Test
    void start_answersPingOnLoopback() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.commands().ping()).isEqualTo("PONG");
            assertThat(redis.commands().configGet("save")).containsEntry("save", "");
        }
    }

    @Test
    void start_twice_usesDistinctPorts() {
        try (RedisServer first = RedisServer.start(); RedisServer second = RedisServer.start()) {
            assertThat(first.port()).isNotEqualTo(second.port());
        }
    }

    @Test
    void kill_endsProcessAndRefusesConnections() {
        try (RedisServer redis = RedisServer.start()) {
            long pid = redis.pid();
            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThatThrownBy(() -> new Socket(redis.host(), redis.port()).close())
                    .isInstanceOf(ConnectException.class);
            assertThatThrownBy(redis::commands).isInstanceOf(RedisConnectionException.class);
        }
    }

    @Test
    void stop_endsProcessGracefully() {
        try (RedisServer redis = RedisServer.start()) {
            long pid = redis.pid();
            redis.stop();

            assertThat(redis.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    @Test
    void restart_keepsPortAndLosesData() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            long pid = redis.pid();
            redis.commands().set("k", "v");

            redis.restart();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.pid()).isNotEqualTo(pid);
            assertThat(redis.commands().get("k")).isNull();
        }
    }

    @Test
    void restart_afterKill_bringsServerBack() {
        try (RedisServer redis = RedisServer.start()) {
            redis.kill();
            redis.restart();

            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.commands().ping()).isEqualTo("PONG");
        }
    }

    @Test
    void pause_makesCommandsTimeOut_resumeAnswersAgain() {
        try (RedisServer redis = RedisServer.start();
             TestClient client = TestClient.of(redis.uri(), Duration.ofMillis(300))) {
            RedisCommands<String, String> commands = client.connect();
            assertThat(commands.ping()).isEqualTo("PONG");

            redis.pause();
            assertThat(redis.isPaused()).isTrue();
            assertThat(redis.isRunning()).isTrue();
            assertThatThrownBy(commands::ping).isInstanceOf(RedisCommandTimeoutException.class);

            redis.resume();
            assertThat(redis.isPaused()).isFalse();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(commands.ping()).isEqualTo("PONG"));
        }
    }

    @Test
    void kill_whilePaused_endsProcess() {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();
            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThat(redis.isPaused()).isFalse();
        }
    }

    @Test
    void requirePass_rejectsUnauthenticatedClients() {
        try (RedisServer redis = RedisServer.builder().requirePass("pw").start();
             TestClient anonymous =
                     TestClient.of("redis://127.0.0.1:" + redis.port(), Duration.ofSeconds(5))) {
            assertThat(redis.uri()).isEqualTo("redis://:pw@127.0.0.1:" + redis.port());
            assertThat(redis.password()).contains("pw");
            assertThat(redis.commands().ping()).isEqualTo("PONG");

            assertThatThrownBy(() -> anonymous.connect().ping())
                    .hasStackTraceContaining("NOAUTH");
        }
    }

    @Test
    void builderArgs_reachTheServer() {
        try (RedisServer redis =
                     RedisServer.builder().arg("--maxmemory-policy", "allkeys-lru").start()) {
            assertThat(redis.commands().configGet("maxmemory-policy"))
                    .containsEntry("maxmemory-policy", "allkeys-lru");
        }
    }

    @Test
    void start_badArgument_failsWithLogTail() {
        assertThatThrownBy(() -> RedisServer.builder().arg("--no-such-directive", "x").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-directive");
    }

    @Test
    void start_binaryNotExecutable_failsWithInstallHint() {
        assertThatThrownBy(() -> RedisServer.builder().binary(Path.of("/nonexistent/redis")).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/redis")
                .hasMessageContaining("apt-get install -y redis-server")
                .hasMessageContaining(RedisBinary.ENV);
    }

    @Test
    void replicaOf_receivesWritesFromMaster() {
        try (RedisServer master = RedisServer.builder().requirePass("pw").start();
             RedisServer replica = RedisServer.replicaOf(master)) {
            master.commands().set("k", "v");

            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(replica.commands().get("k")).isEqualTo("v"));
            assertThat(replica.commands().info("replication")).contains("role:slave");
        }
    }

    @Test
    void close_killsProcessDeletesDirAndIsIdempotent() {
        RedisServer redis = RedisServer.start();
        long pid = redis.pid();
        Path dir = Path.of(redis.commands().configGet("dir").get("dir"));
        assertThat(dir).isDirectory();

        redis.close();
        redis.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(redis::commands).isInstanceOf(IllegalStateException.class);
    }
}
