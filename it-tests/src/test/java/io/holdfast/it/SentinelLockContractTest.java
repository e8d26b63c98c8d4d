package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisSentinelGroup;
import io.holdfast.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The whole exclusive-lock contract ({@link LockContract}) for {@link Holdfast#getLock}, with every
 * client connected through Sentinels ({@code redis-sentinel://}) to a master with two replicas,
 * all started by the test. Failover itself: {@code topology.SentinelFailoverTest}.
 */
@Tag("integration")
class SentinelLockContractTest extends LockContract {

    private static RedisSentinelGroup group;
    private static RedisServer master;

    @BeforeAll
    static void startGroup() {
        group = RedisSentinelGroup.start();
        master = group.currentMaster();
    }

    @AfterAll
    static void stopGroup() {
        group.close();
    }

    @BeforeEach
    void flushMaster() {
        master.commands().flushall();
    }

    @Override
    protected String redisUri() {
        return group.uri();
    }

    @Override
    protected RedisServer server() {
        return master;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }
}
