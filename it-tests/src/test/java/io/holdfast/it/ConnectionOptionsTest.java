package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.RedisPermissionException;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The connection settings of a real server: an ACL user with a password, a database, a key prefix.
 * Users are set up with {@code resetchannels} before their channel patterns: Redis 6.2 gives a new user
 * every channel ({@code acl-pubsub-default allchannels}) and refuses a pattern after it; 7.x starts empty.
 */
@Tag("integration")
class ConnectionOptionsTest {

    @Test
    void aclUser_database_andKeyPrefix_fromTheUriAndOptions_areWhereTheLockLives() {
        try (RedisServer server = RedisServer.start()) {
            server.commands().aclSetuser("locker", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .allKeys().allChannels().allCommands());
            String uri = "redis://locker:s3cret@127.0.0.1:" + server.port() + "/3";
            try (Holdfast client = Holdfast.connect(HoldfastOptions.builder(uri).keyPrefix("app:locks:").build())) {
                RLock lock = client.getLock("orders:42");
                lock.lock();
                try (RedisClient plain = RedisClient.create(uri);
                        StatefulRedisConnection<String, String> db3 = plain.connect()) {
                    assertThat(db3.sync().hexists("app:locks:{orders:42}", client.clientId() + ":" + Thread.currentThread().getId()))
                            .as("the hold is in database 3, under the prefix").isTrue();
                    assertThat(server.commands().dbsize()).as("database 0 is untouched").isZero();
                    assertThat(server.commands().clientList().lines().filter(l -> l.contains(" user=locker ")))
                            .as("Holdfast's connections (command, pub/sub) and ours log in as the ACL user").hasSizeGreaterThanOrEqualTo(3);
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    @Test
    void connect_asAnAclUserWithoutChannelPermission_failsNamingTheMissingPattern_insteadOfFailingAtRelease() {
        try (RedisServer server = RedisServer.start()) {
            server.commands().aclSetuser("nochannels", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .allKeys().allCommands().resetChannels());
            String uri = "redis://nochannels:s3cret@127.0.0.1:" + server.port();
            assertThatThrownBy(() -> Holdfast.connect(HoldfastOptions.builder(uri).keyPrefix("app:locks:").build()))
                    .isInstanceOf(RedisPermissionException.class)
                    .hasMessageContaining("nochannels")
                    .hasMessageContaining("PUBLISH")
                    .hasMessageContaining("&app:locks:*");
            assertThat(server.commands().dbsize()).isZero();
            assertThat(server.commands().clientList().lines().filter(l -> l.contains(" user=nochannels ")))
                    .as("the failed client closed its connections").isEmpty();
        }
    }

    @Test
    void connect_asAnAclUserWhoMayPublishButNotSubscribe_failsNamingSubscribe() {
        try (RedisServer server = RedisServer.start()) {
            server.commands().aclSetuser("nosub", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .allKeys().allCommands().removeCommand(CommandType.SUBSCRIBE)
                    .resetChannels().channelPattern("holdfast:*"));
            String uri = "redis://nosub:s3cret@127.0.0.1:" + server.port();
            assertThatThrownBy(() -> Holdfast.connect(uri))
                    .isInstanceOf(RedisPermissionException.class)
                    .hasMessageContaining("SUBSCRIBE")
                    .hasMessageContaining("&holdfast:*");
        }
    }

    @Test
    void connect_asAnAclUserWithExactlyThePrefixChannels_works_andReleasesWakeWaiters() throws Exception {
        try (RedisServer server = RedisServer.start()) {
            server.commands().aclSetuser("narrow", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .keyPattern("app:locks:*").allCommands().resetChannels().channelPattern("app:locks:*"));
            String uri = "redis://narrow:s3cret@127.0.0.1:" + server.port();
            HoldfastOptions options = HoldfastOptions.builder(uri).keyPrefix("app:locks:").build();
            try (Holdfast a = Holdfast.connect(options); Holdfast b = Holdfast.connect(options)) {
                RLock lock = a.getLock("orders");
                lock.lock();
                java.util.concurrent.CompletableFuture<java.util.Optional<io.holdfast.Lease>> waiting =
                        b.getLock("orders").tryLockAsync(7, 10, -1, java.util.concurrent.TimeUnit.SECONDS);
                lock.unlock();
                assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
                b.getLock("orders").unlockAsync(7).get(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }
}
