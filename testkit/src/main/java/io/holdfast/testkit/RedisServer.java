package io.holdfast.testkit;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.Optional;

/**
 * A throwaway Redis server for tests, owned by the test that started it.
 *
 * <p>{@link #start()} prefers a real {@code redis-server} process: the binary named by the
 * environment variable {@code HOLDFAST_REDIS_SERVER}, else {@code redis-server} on the
 * {@code PATH}. It listens on a free port of {@code 127.0.0.1}, keeps no data on disk
 * ({@code --save "" --appendonly no}) and works in a fresh temporary directory that
 * {@link #close()} deletes. It also sets {@code --repl-diskless-sync-delay 0} so replicas
 * sync at once; arguments given to the builder come last and may override any of these. If no binary is found but Docker is available, a {@code redis:7}
 * container is started instead through Testcontainers; on that backend {@link #pid()},
 * {@link #kill()}, {@link #stop()}, {@link #restart()}, {@link #pause()} and {@link #resume()}
 * throw {@link UnsupportedOperationException}. If neither is available, starting throws
 * {@link IllegalStateException} saying how to install one: tests are never skipped silently.
 *
 * <p>Instances are safe to use from several threads; lifecycle methods are serialised.
 */
public interface RedisServer extends AutoCloseable {

    /**
     * Starts a server with default settings and waits (at most 10 s) until it answers
     * {@code PING}.
     *
     * @throws IllegalStateException if no server can be started; the message includes the tail
     *     of the server's log, or installation hints if no Redis is available at all
     */
    static RedisServer start() {
        return builder().start();
    }

    /** Returns a builder for a server with extra arguments or a password. */
    static RedisServerBuilder builder() {
        return new RedisServerBuilder();
    }

    /**
     * Starts a replica of {@code master} ({@code --replicaof 127.0.0.1 <port>}, plus
     * {@code --masterauth} if the master has a password) and waits at most 10 s until its link
     * to the master is up. Only supported for process-based masters.
     *
     * @throws IllegalStateException if the replica does not start or does not sync in time
     * @throws UnsupportedOperationException if {@code master} runs in a container
     */
    static RedisServer replicaOf(RedisServer master) {
        return builder().replicaOf(master).start();
    }

    /** The host to connect to; {@code 127.0.0.1} for process-based servers. */
    String host();

    /** The TCP port; it stays the same across {@link #restart()}. */
    int port();

    /**
     * A Redis URI for clients: {@code redis://127.0.0.1:PORT}, or
     * {@code redis://:PASSWORD@127.0.0.1:PORT} when a password is required. The password is
     * inserted as given, so it should be URI-safe.
     */
    String uri();

    /** The password clients must send, if the server requires one. */
    Optional<String> password();

    /**
     * The operating-system process id of the current server process (it changes on restart).
     *
     * @throws UnsupportedOperationException on the container backend
     */
    long pid();

    /**
     * Kills the server with {@code SIGKILL} and waits (at most 10 s) until it has exited.
     * Clients see their connections reset; new connections are refused. Does nothing if the
     * server is not running. The {@link #commands()} connection is dropped.
     *
     * @throws UnsupportedOperationException on the container backend
     */
    void kill();

    /**
     * Stops the server gracefully ({@code SIGTERM}, resuming it first if paused) and waits up
     * to 10 s for it to exit, then kills it. Does nothing if the server is not running.
     *
     * @throws UnsupportedOperationException on the container backend
     */
    void stop();

    /**
     * Stops the server if it is running, then starts it again on the same port with the same
     * arguments and waits until it answers {@code PING}. All data is gone (no persistence).
     *
     * @throws IllegalStateException if the server does not come back within 10 s
     * @throws UnsupportedOperationException on the container backend
     */
    void restart();

    /**
     * Freezes the server with {@code SIGSTOP} and waits until the kernel reports it stopped.
     * Its socket stays open: clients connect but every command hangs until {@link #resume()}.
     *
     * @throws IllegalStateException if the server is not running
     * @throws UnsupportedOperationException on the container backend
     */
    void pause();

    /**
     * Continues a paused server with {@code SIGCONT}. Does nothing if it is not paused.
     *
     * @throws UnsupportedOperationException on the container backend
     */
    void resume();

    /** Whether the server process is alive; a paused server is still running. */
    boolean isRunning();

    /** Whether the server is currently paused by {@link #pause()}. */
    boolean isPaused();

    /**
     * A synchronous Lettuce connection owned by this fixture, created on first use (and again
     * after a restart or kill) with a 10 s command timeout. Use it for housekeeping such as
     * {@code INFO}, {@code KEYS *}, {@code SCRIPT FLUSH} or {@code PUBSUB CHANNELS}; do not
     * close it.
     *
     * @throws io.lettuce.core.RedisConnectionException if the server is unreachable
     */
    RedisCommands<String, String> commands();

    /**
     * Closes the {@link #commands()} connection, kills the server and deletes its temporary
     * directory. Idempotent.
     */
    @Override
    void close();
}
