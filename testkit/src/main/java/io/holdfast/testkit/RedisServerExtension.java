package io.holdfast.testkit;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class one throwaway {@link RedisServer}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();
 * }</pre>
 *
 * <p>The field must be {@code static}: the server is started before all tests of the class and
 * closed after them. {@code @Nested} classes share the outer class's server. Before each test,
 * a server that the previous test killed or stopped is restarted (same port), and a paused one
 * is resumed; with {@link #flushBeforeEach()} it also runs {@code FLUSHALL} and
 * {@code SCRIPT FLUSH}. One instance serves one test class at a time; do not share it between
 * classes that run concurrently.
 *
 * <p>Startup fails the test class (it is never skipped) if no Redis is available; see
 * {@link RedisServer#start()}.
 */
public final class RedisServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final RedisServerBuilder builder;
    private final boolean flushBeforeEach;

    private RedisServer server;
    private int activeClasses;

    /** An extension whose server uses default settings. */
    public RedisServerExtension() {
        this(RedisServer.builder());
    }

    /** An extension whose server is started by {@code builder}, e.g. with a password. */
    public RedisServerExtension(RedisServerBuilder builder) {
        this(builder, false);
    }

    private RedisServerExtension(RedisServerBuilder builder, boolean flushBeforeEach) {
        this.builder = Objects.requireNonNull(builder, "builder");
        this.flushBeforeEach = flushBeforeEach;
    }

    /** Returns an extension like this one that also empties Redis before each test. */
    public RedisServerExtension flushBeforeEach() {
        return new RedisServerExtension(builder, true);
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (activeClasses++ == 0) {
            server = builder.start();
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        RedisServer redis = server();
        if (redis.isPaused()) {
            redis.resume();
        }
        if (!redis.isRunning()) {
            redis.restart();
        }
        if (flushBeforeEach) {
            redis.commands().flushall();
            redis.commands().scriptFlush();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--activeClasses == 0 && server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * The current server.
     *
     * @throws IllegalStateException outside the test class's lifecycle, or if the extension is
     *     registered on a non-static field
     */
    public synchronized RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("no Redis server: register RedisServerExtension on a "
                    + "static field with @RegisterExtension, and use it only while tests run");
        }
        return server;
    }

    /** Shortcut for {@code server().uri()}. */
    public String uri() {
        return server().uri();
    }

    /** Shortcut for {@code server().commands()}; throws if the server is unreachable. */
    public RedisCommands<String, String> commands() {
        return server().commands();
    }
}
