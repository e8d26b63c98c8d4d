package io.holdfast.reentrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LeaseState;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which script renews a watchdog hold, seen in the commands the server runs: a plain hold is
 * renewed by HEXISTS + PEXPIRE; a hold a re-entry may have given a longer lease by the guarded
 * script, which never shortens that lease.
 */
@Tag("integration")
class RenewalScriptTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    @Test
    void plainHold_isRenewedWithoutReadingItsLease() {
        HoldfastOptions options = HoldfastOptions.builder(redis.uri()).watchdogLease(Duration.ofMillis(600)).build();
        try (Holdfast holdfast = Holdfast.connect(options)) {
            RLock lock = holdfast.getLock("plain");
            lock.lock();
            long hexists = calls("hexists");
            long pttl = calls("pttl");
            long pexpire = calls("pexpire");
            // both awaited: the three baselines are read one after another, and a renewal may fall between them
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> calls("hexists") >= hexists + 3 && calls("pexpire") >= pexpire + 3);
            assertThat(calls("pttl")).as("PTTL calls while only the watchdog ran").isEqualTo(pttl);
            assertThat(lock.currentLease()).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(LeaseState.ACTIVE));
            lock.unlock();
        }
    }

    /**
     * The re-entry asking for a long lease runs on the server, but its reply comes too late for the
     * client (a command timeout): the client cannot tell the lease is long now, so from then on the
     * watchdog must renew with the script that never shortens it.
     */
    @Test
    void reentryWithLongerLease_whoseReplyWasLost_isNotShortenedByRenewals() {
        HoldfastOptions options = HoldfastOptions.builder(redis.uri())
                .watchdogLease(Duration.ofSeconds(3)).commandTimeout(Duration.ofMillis(200)).build();
        try (Holdfast holdfast = Holdfast.connect(options)) {
            RLock lock = holdfast.getLock("nested");
            lock.lock();
            // a level above the first once, so the server knows the re-entry script: the paused
            // EVALSHA below must run late, not come back NOSCRIPT to a client that stopped listening
            lock.lock();
            lock.unlock();
            redis.commands().clientPause(600); // Lettuce's CLIENT PAUSE ms: ALL; writes wait until it ends
            assertThatThrownBy(() -> lock.lock(60, TimeUnit.SECONDS)).isInstanceOf(RuntimeException.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> redis.commands().pttl("holdfast:{nested}") > 30_000);
            long hexists = calls("hexists");
            await().atMost(Duration.ofSeconds(30)).until(() -> calls("hexists") >= hexists + 2);
            assertThat(redis.commands().pttl("holdfast:{nested}")).as("lease after renewals").isGreaterThan(30_000L);
            assertThat(lock.currentLease()).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(LeaseState.ACTIVE));
        }
    }

    private static long calls(String command) {
        for (String line : redis.commands().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                String v = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(v.substring(0, v.indexOf(',')));
            }
        }
        return 0;
    }
}
