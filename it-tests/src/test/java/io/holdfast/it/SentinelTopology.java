package io.holdfast.it;

import io.holdfast.testkit.RedisSentinelGroup;
import io.holdfast.testkit.RedisServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A master, two replicas and three Sentinels for one test class (register it as a static
 * extension): started before the class, the master flushed before each test, all stopped after.
 * The contract tests through Sentinels connect with {@link #uri()} and look at {@link #master()}.
 */
final class SentinelTopology implements ContractTopology, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private RedisSentinelGroup group;
    private RedisServer master;

    @Override
    public void beforeAll(ExtensionContext context) {
        group = RedisSentinelGroup.start();
        master = group.currentMaster();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        master.commands().flushall();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        group.close();
    }

    /** The {@code redis-sentinel://} URI of the group. */
    @Override
    public String uri() {
        return group.uri();
    }

    /** The master (no failover happens in a contract test). */
    RedisServer master() {
        return master;
    }

    @Override
    public RedisServer server() {
        return master();
    }
}
