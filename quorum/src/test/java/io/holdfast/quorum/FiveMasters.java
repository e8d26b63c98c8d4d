package io.holdfast.quorum;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.testkit.CommandStats;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Independent redis-servers for one test class (register it as a static extension): started
 * before the class; before each test, a server a test paused is resumed, one it killed or stopped
 * is started again on its port, and all are flushed; all stopped after the class.
 */
final class FiveMasters implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final int count;
    private final List<RedisServer> servers = new ArrayList<>();
    /** What {@link #client} and {@link #thread} made for the running test, closed after it. */
    private final List<AutoCloseable> perTest = new ArrayList<>();

    FiveMasters() {
        this(5);
    }

    FiveMasters(int count) {
        this.count = count;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        for (int i = 0; i < count; i++) {
            servers.add(RedisServer.start());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (RedisServer s : servers) {
            if (s.isPaused()) {
                s.resume();
            }
            if (!s.isRunning()) {
                s.restart();
            }
            s.commands().flushall();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (RedisServer s : servers) {
            if (s.isPaused()) {
                s.resume();
            }
            s.close();
        }
        servers.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : perTest) {
                c.close();
            }
        } finally {
            perTest.clear();
        }
    }

    RedisServer get(int i) {
        return servers.get(i);
    }

    /** A client of server {@code i} with this watchdog lease, closed after the test. */
    Holdfast client(int i, Duration watchdogLease) {
        Holdfast h = Holdfast.connect(HoldfastOptions.builder(servers.get(i).uri()).watchdogLease(watchdogLease).build());
        perTest.add(h);
        return h;
    }

    /** An owner thread, ended after the test. */
    OwnerThread thread(String name) {
        OwnerThread t = new OwnerThread(name);
        perTest.add(t);
        return t;
    }

    /** Script calls server {@code i} has run ({@code EVALSHA}, and {@code EVAL} after a script cache miss). */
    long scriptCalls(int i) {
        var stats = CommandStats.read(servers.get(i).commands());
        return stats.getOrDefault("evalsha", 0L) + stats.getOrDefault("eval", 0L);
    }

    List<RedisServer> all() {
        return servers;
    }

    String[] uris() {
        return servers.stream().map(RedisServer::uri).toArray(String[]::new);
    }
}
