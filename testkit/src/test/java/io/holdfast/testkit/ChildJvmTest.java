package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exercises {@link ChildJvm} with the {@link EchoMain} program. */
@Tag("integration")
class ChildJvmTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void start_runsMainWithArgsAndJvmFlags() {
        try (ChildJvm child = ChildJvm.builder(EchoMain.class)
                .jvmArg("-Dholdfast.greeting=hi")
                .arg("a", "b")
                .start()) {
            assertThat(child.awaitLine(line -> line.startsWith("ready"), TIMEOUT))
                    .isEqualTo("ready hi args=a,b");
            assertThat(child.pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void sendLine_isEchoedAndRecordedInLines() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.sendLine("hello");
            assertThat(child.awaitLine(line -> line.startsWith("echo:"), TIMEOUT))
                    .isEqualTo("echo: hello");
            assertThat(child.lines()).containsExactly("ready - args=", "echo: hello");
        }
    }

    @Test
    void waitForExit_returnsExitCode() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.sendLine("exit 3");
            assertThat(child.waitForExit(TIMEOUT)).isEqualTo(3);
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void kill9_endsChildWithSigkill() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.awaitLine(line -> line.startsWith("ready"), TIMEOUT);

            child.kill9();

            assertThat(child.isAlive()).isFalse();
            assertThat(ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(child.waitForExit(TIMEOUT)).isEqualTo(137);
        }
    }

    @Test
    void awaitLine_noMatch_failsWithOutputSoFar() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.awaitLine(line -> line.startsWith("ready"), TIMEOUT);

            assertThatThrownBy(() -> child.awaitLine("never"::equals, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("within PT0.2S")
                    .hasMessageContaining("ready - args=");
        }
    }

    @Test
    void awaitLine_childExits_failsAtOnceWithStderrAndExitCode() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.sendLine("err boom");
            child.awaitLine("wrote stderr"::equals, TIMEOUT);
            child.sendLine("exit 7");

            assertThatThrownBy(() -> child.awaitLine("never"::equals, TIMEOUT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("stdout ended")
                    .hasMessageContaining("exited with code 7")
                    .hasMessageContaining("boom");
            assertThat(child.stderr()).contains("boom");
        }
    }

    @Test
    void pause_freezesChild_resumeContinuesIt() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.awaitLine(line -> line.startsWith("ready"), TIMEOUT);

            child.pause();
            child.sendLine("while paused");
            assertThatThrownBy(() -> child.awaitLine("echo: while paused"::equals,
                    Duration.ofMillis(300))).isInstanceOf(AssertionError.class);

            child.resume();
            assertThat(child.awaitLine("echo: while paused"::equals, TIMEOUT)).isNotNull();
        }
    }

    @Test
    void resume_ofAChildKilledWhilePaused_isNotAnError() {
        try (ChildJvm child = ChildJvm.start(EchoMain.class)) {
            child.awaitLine(line -> line.startsWith("ready"), TIMEOUT);
            child.pause();
            child.kill9();
            child.waitForExit(TIMEOUT);
            assertThat(child.isAlive()).isFalse();

            child.resume();
        }
    }
}
