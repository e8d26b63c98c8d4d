package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServer;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Holder identity an operator can trace: a client names its connections and keeps a record that
 * maps its id (the first part of every holder id) to a host and a process.
 */
@Tag("integration")
class ClientIdentityTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void bothConnections_areNamedAfterHostPidAndClient_andTheRecordMapsTheClientIdToThisProcess() {
        Map<String, Long> before = io.holdfast.testkit.CommandStats.read(redis.commands());
        try (Holdfast client = Holdfast.connect(redis.uri())) {
            String name = client.connectionName();
            assertThat(name).matches("holdfast:[A-Za-z0-9._-]+:" + ProcessHandle.current().pid() + ":"
                    + client.clientId().substring(0, 8));
            await().atMost(Duration.ofSeconds(10)).until(() -> named(name).size() == 2);
            if (io.holdfast.testkit.CommandStats.countsSubcommands(redis.commands())) { // 6.2 counts all CLIENT calls as one
                assertThat(io.holdfast.testkit.CommandStats.delta(before, io.holdfast.testkit.CommandStats.read(
                        redis.commands()))).as("each connection named once").containsEntry("client|setname", 2L);
            }

            Map<String, String> record = redis.commands().hgetall("holdfast:client:" + client.clientId());
            assertThat(record).containsEntry("pid", Long.toString(ProcessHandle.current().pid()))
                    .containsEntry("clientId", client.clientId()).containsEntry("name", name)
                    .containsKeys("host", "started");
            assertThat(redis.commands().pttl("holdfast:client:" + client.clientId())).isBetween(1L, 180_000L);

            RLock lock = client.getLock("traced");
            lock.lock();
            String holder = redis.commands().hkeys("holdfast:{traced}").get(0);
            assertThat(holder).as("a holder id starts with the client id").startsWith(client.clientId() + ":");
            lock.unlock();
        }
    }

    @Test
    void aConnectionKilledByTheServer_isNamedAgainAfterTheReconnect() {
        try (Holdfast client = Holdfast.connect(redis.uri())) {
            String name = client.connectionName();
            await().atMost(Duration.ofSeconds(10)).until(() -> named(name).size() == 2);
            redis.commands().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(field(named(name).get(0), "id"))));
            RLock lock = client.getLock("after-reconnect");
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                lock.lock();
                lock.unlock();
                return named(name).size() == 2;
            });
        }
    }

    @Test
    void anAclUserWithoutClient_stillLocks_withoutNames() {
        try (RedisServer server = RedisServer.start()) {
            server.commands().aclSetuser("noclient", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .allKeys().allChannels().allCommands().removeCommand(CommandType.CLIENT));
            String uri = "redis://noclient:s3cret@127.0.0.1:" + server.port();
            try (Holdfast client = Holdfast.connect(HoldfastOptions.builder(uri).build())) {
                RLock lock = client.getLock("plain");
                lock.lock();
                assertThat(lock.isHeldByCurrentThread()).isTrue();
                lock.unlock();
                assertThat(server.commands().clientList().lines().filter(l -> l.contains(" user=noclient ")))
                        .as("connected, unnamed").isNotEmpty()
                        .allSatisfy(l -> assertThat(field(l, "name")).isEmpty());
                assertThat(server.commands().hget("holdfast:client:" + client.clientId(), "pid"))
                        .as("the record is still written").isEqualTo(Long.toString(ProcessHandle.current().pid()));
            }
        }
    }

    private static List<String> named(String name) {
        return redis.commands().clientList().lines().filter(l -> field(l, "name").equals(name)).toList();
    }

    private static String field(String clientListLine, String field) {
        for (String part : clientListLine.split(" ")) {
            if (part.startsWith(field + "=")) {
                return part.substring(field.length() + 1);
            }
        }
        return "";
    }
}
