package io.holdfast.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ./holdfast inspect} against a real Redis with a real lock held. */
@Tag("integration")
class InspectMainTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private record Run(int code, String out) {
    }

    private static Run run(String stdin, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = InspectMain.run(args, out, new BufferedReader(new StringReader(stdin)));
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    private static Holdfast client() {
        return Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofSeconds(5)).build());
    }

    @Test
    void aHeldLock_isShownForPeople_andAsJson_withItsHolderAndProcess() throws Exception {
        try (Holdfast a = client()) {
            RLock lock = a.getLock("orders:7");
            lock.lock();
            lock.lock();
            Run human = run("", "--redis", redis.uri(), "orders:7");
            assertThat(human.code()).isZero();
            assertThat(human.out()).contains("lock 'orders:7'  exclusive, held")
                    .contains(a.clientId() + ":" + Thread.currentThread().getId() + "  exclusive x2")
                    .contains("pid " + ProcessHandle.current().pid()).contains("2 connections open");

            Run json = run("", "--redis", redis.uri(), "--json", "orders:*");
            assertThat(json.code()).isZero();
            assertThat(json.out()).startsWith("{\"locks\":[{\"name\":\"orders:7\"").contains("\"holdCount\":2")
                    .contains("\"pid\":" + ProcessHandle.current().pid());
            lock.unlock();
            lock.unlock();
            assertThat(run("", "--redis", redis.uri(), "orders:7").code()).as("nothing found").isEqualTo(1);
        }
    }

    @Test
    void forceUnlock_asksFirst_noLeavesTheLock_yesFreesIt_andTheHolderIsToldItsLeaseWasLost() throws Exception {
        try (Holdfast a = client()) {
            RLock lock = a.getLock("stuck");
            lock.lock();
            Run declined = run("n\n", "--redis", redis.uri(), "--force-unlock", "stuck");
            assertThat(declined.code()).isEqualTo(1);
            assertThat(declined.out()).contains("[y/N]").contains("not unlocked");
            assertThat(lock.isLocked()).isTrue();

            Run confirmed = run("y\n", "--redis", redis.uri(), "--force-unlock", "stuck");
            assertThat(confirmed.code()).isZero();
            assertThat(confirmed.out()).contains("force-unlocked 'stuck'");
            assertThat(lock.isLocked()).isFalse();
            Assertions.assertThatThrownBy(lock::unlock).isInstanceOf(LockLostException.class);

            lock.lock();
            assertThat(run("", "--redis", redis.uri(), "--force-unlock", "stuck", "--yes").code()).isZero();
            assertThat(lock.isLocked()).isFalse();
            Assertions.assertThatThrownBy(lock::unlock).isInstanceOf(LockLostException.class);
        }
    }

    @Test
    void watch_printsAgainUntilInterrupted_andShowsTheChange() throws Exception {
        try (Holdfast a = client()) {
            RLock lock = a.getLock("watched");
            lock.lock();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            Thread watcher = new Thread(() -> {
                try {
                    InspectMain.run(new String[] {"--redis", redis.uri(), "--watch", "1", "watched"}, out,
                            new BufferedReader(new StringReader("")));
                } catch (InterruptedException stopped) {
                    // how a watch ends
                } catch (Exception e) {
                    e.printStackTrace(out);
                }
            });
            watcher.start();
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(bytes, "exclusive x1") >= 2);
                lock.lock();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> count(bytes, "exclusive x2") >= 1);
            } finally {
                watcher.interrupt();
                watcher.join(10_000);
            }
            assertThat(watcher.isAlive()).isFalse();
            lock.unlock();
            lock.unlock();
        }
    }

    private static int count(ByteArrayOutputStream bytes, String what) {
        String text;
        synchronized (bytes) {
            text = bytes.toString(StandardCharsets.UTF_8);
        }
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void help_andBadUsage() throws Exception {
        assertThat(run("", "--help").out()).contains("usage: ./holdfast inspect").contains("--force-unlock");
        Run bad = run("", "--redis", redis.uri());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out()).contains("give one lock name or pattern");
        assertThat(run("", "--redis").code()).isEqualTo(2);
    }
}
