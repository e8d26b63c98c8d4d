package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

/** The connection settings of a real server: an ACL user with a password, a database, a key prefix. */
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
}
