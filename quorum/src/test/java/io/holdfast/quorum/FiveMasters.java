package io.holdfast.quorum;

import io.holdfast.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Independent redis-servers for one test class (register it as a static extension): started
 * before the class; before each test, a server a test paused is resumed, one it killed or stopped
 * is started again on its port, and all are flushed; all stopped after the class.
 */
final class FiveMasters implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final int count;
    private final List<RedisServer> servers = new ArrayList<>();

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

    RedisServer get(int i) {
        return servers.get(i);
    }

    List<RedisServer> all() {
        return servers;
    }

    String[] uris() {
        return servers.stream().map(RedisServer::uri).toArray(String[]::new);
    }
}
