package io.holdfast.testkit;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The fallback {@link RedisServer}: a {@code redis:7} container started through Testcontainers,
 * used only when no {@code redis-server} binary is available but Docker is.
 *
 * <p>Only starting, connecting and {@link #close()} are supported. Process control
 * ({@link #pid()}, {@link #kill()}, {@link #stop()}, {@link #restart()}, {@link #pause()},
 * {@link #resume()}) throws {@link UnsupportedOperationException}: Docker maps a new host
 * port when a container restarts, so "same port" cannot be kept. Tests that need those
 * operations need a local {@code redis-server}.
 */
final class ContainerRedisServer implements RedisServer {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7");
    private static final int REDIS_PORT = 6379;

    private final GenericContainer<?> container;
    private final String password;
    private final FixtureConnection connection;

    private ContainerRedisServer(GenericContainer<?> container, String password) {
        this.container = container;
        this.password = password;
        this.connection = new FixtureConnection(uri());
    }

    /** Whether Testcontainers can reach a Docker daemon; never throws. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts the container and waits until Redis logs that it accepts connections. */
    static ContainerRedisServer start(List<String> extraArgs, String password) {
        List<String> command = new ArrayList<>(
                List.of("redis-server", "--save", "", "--appendonly", "no"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        command.addAll(extraArgs);
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(REDIS_PORT)
                .withCommand(command.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        try {
            container.start();
        } catch (RuntimeException e) {
            String logs = container.getContainerId() == null ? "" : "\n" + container.getLogs();
            container.close();
            throw new IllegalStateException("cannot start " + IMAGE + " container" + logs, e);
        }
        return new ContainerRedisServer(container, password);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(REDIS_PORT);
    }

    @Override
    public String uri() {
        String auth = password == null ? "" : ":" + password + "@";
        return "redis://" + auth + host() + ":" + port();
    }

    @Override
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    @Override
    public long pid() {
        throw unsupported("pid");
    }

    @Override
    public void kill() {
        throw unsupported("kill");
    }

    @Override
    public void stop() {
        throw unsupported("stop");
    }

    @Override
    public void restart() {
        throw unsupported("restart");
    }

    @Override
    public void pause() {
        throw unsupported("pause");
    }

    @Override
    public void resume() {
        throw unsupported("resume");
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public boolean isPaused() {
        return false;
    }

    @Override
    public RedisCommands<String, String> commands() {
        return connection.commands();
    }

    @Override
    public synchronized void close() {
        connection.close();
        container.close();
    }

    @Override
    public String toString() {
        return "redis-container[" + container.getContainerId() + "]";
    }

    private UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + "() needs a local redis-server "
                + "process; this server runs in a Docker container (" + IMAGE + "). Install "
                + "redis-server or set " + RedisBinary.ENV + " to use it.");
    }
}
