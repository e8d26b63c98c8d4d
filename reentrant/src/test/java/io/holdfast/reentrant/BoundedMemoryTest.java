package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many distinct lock names must not grow the client's memory without bound. */
@Tag("integration")
class BoundedMemoryTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void aMillionNames_keepTheClientsStateBounded() {
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(redis.uri()).lockCacheSize(1_000).build())) {
            for (int i = 0; i < 1_000_000; i++) {
                holdfast.getLock("name-" + i);
            }
            for (int i = 0; i < 2_000; i++) {
                RLock lock = holdfast.getLock("used-" + i);
                assertThat(lock.tryLock()).isTrue();
                lock.unlock();
            }
            assertThat(holdfast.cachedLocks()).isLessThanOrEqualTo(1_000);
            assertThat(holdfast.holdCount()).isZero();
            assertThat(holdfast.renewalCount()).isZero();
            assertThat(holdfast.subscribedChannels()).isZero();
            // nothing per lock name is left; only the fencing-token keys, one per slot that held a
            // lock (fencing-token.lua), at most 16,384 whatever the number of names, and the client's
            // own record (one per client, see Holdfast.connectionName())
            assertThat(redis.commands().keys("*")).allMatch(k -> k.matches("holdfast:\\{[0-9a-z]+}:token")
                    || k.equals("holdfast:client:" + holdfast.clientId()));
            assertThat(redis.commands().dbsize()).isLessThanOrEqualTo(2_000 + 1);
        }
    }
}
