package io.holdfast.chaos;

import static io.holdfast.chaos.ProxiedClients.lock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.internal.Client;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A release in flight across a Redis restart (no persistence): the new server never had the hold,
 * so the re-sent release finds nothing. That reply looks exactly like a release whose first run's
 * reply was lost ({@link ReleaseResentAfterLostReplyTest}), and the engine used to count it as
 * released; but the holder kept its critical section running after the server forgot its hold,
 * while the new server could grant the lock to anyone, so the loss must be reported. The engine
 * tells the two apart by the server's {@code run_id}. Found by the chaos run (seed 777: one such
 * hold, {@code x15}, in 10 minutes).
 */
@Tag("integration")
class ReleaseAcrossARedisRestartTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private ProxiedClients clients;
    private Holdfast h;

    @BeforeEach
    void start() {
        clients = new ProxiedClients(redis);
        h = clients.throughProxy(o -> { });
    }

    @AfterEach
    void stop() {
        clients.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "fair", "write"})
    void aReleaseReSentToARestartedServer_reportsTheHoldLost(String kind) throws Exception {
        RLock held = lock(h, kind, "release-across-restart-" + kind);
        long owner = 42;
        held.lockAsync(owner, 60, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);

        // the client does not see the restart yet: its connections are black-holed
        clients.proxy.blackholeAll(true);
        redis.server().kill();
        redis.server().restart();
        assertThat(redis.commands().exists("holdfast:{release-across-restart-" + kind + "}"))
                .as("the restarted server forgot the hold").isZero();

        CompletableFuture<Void> unlock = held.unlockAsync(owner);
        // the black hole ends by closing the links it dropped bytes of; the client reconnects and re-sends
        clients.proxy.blackholeAll(false);
        clients.proxy.resetAll();

        assertThat(unlock).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(LockLostException.class);
    }

    /**
     * The same, but the client has already reconnected to the restarted server, and learnt its new
     * {@code run_id}, before the release is sent; the release is then in flight across a second lost
     * connection and, re-sent, finds nothing. Comparing the identities before and after the release
     * alone says "same server", and the loss was silent: the engine compares with the identity of the
     * server that granted the hold.
     */
    @ParameterizedTest
    @ValueSource(strings = {"default", "fair", "write"})
    void aReleaseReSentAfterTheClientSawTheRestart_reportsTheHoldLost(String kind) throws Exception {
        String name = "release-after-seen-restart-" + kind;
        String key = "holdfast:{" + name + "}";
        RLock held = lock(h, kind, name);
        long owner = 42;
        held.lockAsync(owner, 60, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        String before = serverId(key);
        assertThat(before).as("the client knows the granting server").isNotEmpty();

        redis.server().kill();
        redis.server().restart();
        // the client reconnects through the proxy and reads the new server's identity
        await().atMost(Duration.ofSeconds(30)).until(() -> !serverId(key).isEmpty() && !serverId(key).equals(before));
        assertThat(redis.commands().exists(key)).as("the restarted server forgot the hold").isZero();

        clients.proxy.blackholeAll(true);
        CompletableFuture<Void> unlock = held.unlockAsync(owner);
        clients.proxy.blackholeAll(false);
        clients.proxy.resetAll(); // the release's connection is lost: the client reconnects and re-sends it

        assertThat(unlock).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(LockLostException.class);
    }

    /** What the client believes the identity of the server holding {@code key} is (white box). */
    private String serverId(String key) throws ReflectiveOperationException {
        java.lang.reflect.Field ctx = Holdfast.class.getDeclaredField("ctx");
        ctx.setAccessible(true);
        return ((Client) ctx.get(h)).redis().serverId(key);
    }
}
