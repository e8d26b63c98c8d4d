package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.Script;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, "No script may build a key name": every queued script runs as a Redis ACL user that
 * may touch exactly the keys (and the channel) {@link QueuedHashKind#keys} declares for one lock.
 * Redis checks each {@code redis.call} inside a script against the caller's ACL, so a key name
 * built in Lua (as the waiter keys {@code prefix .. holder} once were) fails with NOPERM.
 */
@Tag("integration")
class QueueScriptsKeysTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static final LockKeys KEYS = LockKeys.of("holdfast:", "acl");
    private static final String[] SCRIPT_KEYS = QueuedHashKind.keys(KEYS);

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> user;

    @BeforeEach
    void connectAsARestrictedUser() {
        // the channel travels in KEYS too (KEYS[5]), so EVAL's key check must let it pass as a key
        List<String> rules = new ArrayList<>(List.of("SETUSER", "queue-user", "reset", "on", ">queue-pw", "+@all",
                "resetchannels", "&" + glob(KEYS.channel())));
        for (String key : SCRIPT_KEYS) {
            rules.add("~" + glob(key));
        }
        acl(rules.toArray(String[]::new));
        RedisURI uri = RedisURI.builder(RedisURI.create(redis.uri())).withAuthentication("queue-user", "queue-pw").build();
        client = RedisClient.create(uri);
        connection = client.connect();
        user = connection.sync();
    }

    @AfterEach
    void disconnect() {
        connection.close();
        client.shutdown();
    }

    @Test
    void theRestrictedUser_isRefusedAKeyNameBuiltInLua() {
        assertThatThrownBy(() -> user.eval("return redis.call('GET', KEYS[1] .. ':waiter:h:1')",
                ScriptOutputType.VALUE, SCRIPT_KEYS))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageMatching("(?s).*(NOPERM|can't access at least one of the keys).*");
        assertThatThrownBy(() -> user.get(KEYS.key() + ":waiter:h:1"))
                .isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("NOPERM");
    }

    @Test
    void everyQueuedScript_touchesOnlyTheKeysItIsGiven() {
        for (String policy : new String[] {"fair", "barge"}) {
            assertThat(acquire("holder:1", "try", "0", policy).get(0)).isEqualTo(1L);
            assertThat(onLockAs(user, "reenter.lua", "holder:1", "30000", "reenter", "2")).containsExactly(2L, 2L);
            assertThat(eval("release.lua", "holder:1", "1").get(0)).isEqualTo(1L);
            assertThat(acquire("w:1", "join", "5000:1", policy).get(0)).isZero();
            assertThat(acquire("w:2", "join", "5000:1", policy).get(0)).isZero();
            assertThat(acquire("w:3", "join", "5000:1", policy).get(0)).isZero();
            String entry1 = user.hget(QueuedHashKind.waiters(KEYS), "w:1");
            String placement1 = entry1.substring(entry1.indexOf('|') + 1); // "<deadline>|<identity>"
            assertThat(acquire("w:1", "wait", "5000:1", policy).get(0)).isZero();
            Script renew = Script.load(QueuedHashKind.class, "renew-places.lua");
            String[] item = {QueuedHashKind.waiters(KEYS), QueuedHashKind.queue(KEYS)};
            assertThat((List<Long>) user.eval(renew.source(), ScriptOutputType.MULTI, item, "5000", "2",
                    "w:1|" + placement1)).containsExactly(1L);

            assertThat(eval("abandon.lua", "w:2").get(0)).isEqualTo(0L);
            assertThat((String) eval("release.lua", "holder:1", "0").get(1)).as("handed over").endsWith("|w:1");
            assertThat(acquire("w:1", "wait", "5000:1", policy).get(0)).as("finds the hand-over").isEqualTo(1L);
            assertThat((String) eval("force-unlock.lua").get(1)).as("handed over").endsWith("|w:3");
            assertThat(eval("abandon.lua", "w:3").get(0)).as("drops the hold it was given").isEqualTo(1L);
            assertThat(acquire("w:4", "try", "0", policy).get(0)).isEqualTo(1L);
            assertThat(eval("release.lua", "w:4", "0").get(0)).isEqualTo(0L);
            assertThat(acquire("w:5", "try", "0", policy).get(0)).isEqualTo(1L);
            assertThat(eval("unlock-after.lua", "w:5", "100").get(0)).isEqualTo(1L);
            assertThat(eval("unlock-after.lua", "w:5", "100").get(0)).as("run twice: done once").isEqualTo(1L);
            assertThat(acquire("w:5", "try", "0", policy).get(0)).as("not even its holder before then").isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> redis.commands().exists(KEYS.key()) == 0);
        }
        assertThat(redis.commands().keys("*")).containsExactlyInAnyOrder(KEYS.tokenKey());
    }

    /**
     * A level above the first takes the lock hash alone: the re-entry and the release that keeps a
     * level run as a user that may touch that one key, with waiters queued (which they must not
     * touch either).
     */
    @Test
    void theScriptsOfALevelAboveTheFirst_touchOnlyTheLockKey() {
        assertThat(acquire("holder:1", "try", "0", "fair").get(0)).isEqualTo(1L);
        assertThat(acquire("w:1", "join", "5000:1", "fair").get(0)).isZero();
        acl("SETUSER", "lock-user", "reset", "on", ">lock-pw", "+@all", "resetchannels", "~" + glob(KEYS.key()));
        RedisURI uri = RedisURI.builder(RedisURI.create(redis.uri())).withAuthentication("lock-user", "lock-pw").build();
        RedisClient lockOnly = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = lockOnly.connect()) {
            RedisCommands<String, String> only = c.sync();
            assertThatThrownBy(() -> only.exists(QueuedHashKind.queue(KEYS))).hasMessageContaining("NOPERM");
            assertThat(onLockAs(only, "reenter.lua", "holder:1", "30000", "reenter", "2")).containsExactly(2L, 2L);
            assertThat(onLockAs(only, "reenter.lua", "holder:1", "30000", "reenter-kept", "3")).containsExactly(2L, 3L);
            assertThat(onLockAs(only, "count-down.lua", "holder:1", "2")).containsExactly(2L, "");
            assertThat(onLockAs(only, "count-down.lua", "holder:1", "1")).containsExactly(1L, "");
            assertThat(onLockAs(only, "reenter.lua", "gone:1", "30000", "reenter", "2")).containsExactly(-1L, 0L);
            assertThat(onLockAs(only, "count-down.lua", "gone:1", "1")).containsExactly(-1L, "");
        } finally {
            lockOnly.shutdown();
        }
        assertThat(redis.commands().hget(KEYS.key(), "holder:1")).isEqualTo("1");
        assertThat(redis.commands().zrange(QueuedHashKind.queue(KEYS), 0, -1)).containsExactly("w:1");
    }

    @Test
    void aClientRestrictedToOneLocksKeys_locksQueuesRenewsHandsOverAbandonsAndForceUnlocks() throws Exception {
        // keys stay restricted; the client's start-up check publishes on a probe channel of its prefix
        acl("SETUSER", "queue-user", "&holdfast:*");
        String uri = redis.uri().replace("redis://", "redis://queue-user:queue-pw@");
        HoldfastOptions options = HoldfastOptions.builder(uri).fairWaiterTimeout(Duration.ofMillis(600)).build();
        try (Holdfast holdfast = Holdfast.connect(options);
                OwnerThread a = new OwnerThread("a");
                OwnerThread b = new OwnerThread("b");
                OwnerThread c = new OwnerThread("c")) {
            RLock lock = holdfast.getLock(KEYS.name());
            a.run(lock::lock);
            Future<Boolean> bGot = b.submit(() -> lock.tryLock(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands().zcard(QueuedHashKind.queue(KEYS)) == 1);
            assertThat(c.call(() -> lock.tryLock(1_500, TimeUnit.MILLISECONDS))).as("queued behind b, renewed, gave up")
                    .isFalse();
            a.run(lock::unlock); // hands over to b
            assertThat(bGot.get(10, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> cGot = c.submit(() -> lock.tryLock(30, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.commands().zcard(QueuedHashKind.queue(KEYS)) == 1);
            assertThat(lock.forceUnlock()).isTrue(); // hands over to c
            assertThat(cGot.get(10, TimeUnit.SECONDS)).isTrue();
            c.run(lock::unlock);
        }
        assertThat(redis.commands().keys("*")).containsExactlyInAnyOrder(KEYS.tokenKey());
    }

    private static void acl(String... args) {
        redis.commands().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).addValues(args));
    }

    private List<Long> acquire(String holder, String mode, String fifth, String policy) {
        return user.eval(Script.load(QueuedHashKind.class, "acquire.lua").source(), ScriptOutputType.MULTI,
                SCRIPT_KEYS, holder, "30000", mode, "5000", fifth, policy);
    }

    /** A script that takes the lock hash alone (a level above the first), run as user {@code as}. */
    private static List<Object> onLockAs(RedisCommands<String, String> as, String script, String... args) {
        return as.eval(Script.load(QueuedHashKind.class, script).source(), ScriptOutputType.MULTI,
                new String[] {KEYS.key()}, args);
    }

    private List<Object> eval(String script, String... args) {
        return user.eval(Script.load(QueuedHashKind.class, script).source(), ScriptOutputType.MULTI, SCRIPT_KEYS, args);
    }

    /** The key as an ACL glob pattern that matches it alone. */
    private static String glob(String key) {
        return key.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
