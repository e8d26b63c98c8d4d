package io.holdfast.testkit;

import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RedisServer} backed by a local {@code redis-server} process.
 *
 * <p>Lifecycle: {@link #start} picks a free port and launches the process, retrying with
 * another port if the chosen one was taken in the meantime. Readiness is polled with a raw
 * {@code PING} until a 10 s deadline; between probes it waits on the process's exit, so a
 * server that dies during startup is reported at once with the tail of its log. The log
 * ({@code redis.log}, stdout and stderr merged) lives in the server's temporary directory and
 * is appended to across restarts. All lifecycle methods are {@code synchronized}.
 */
final class ProcessRedisServer implements RedisServer {

    private static final Logger log = LoggerFactory.getLogger(ProcessRedisServer.class);

    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final long POLL_MILLIS = 10;
    private static final int PORT_ATTEMPTS = 5;
    private static final int LOG_TAIL_LINES = 40;
    private static final int CLUSTER_BUS_OFFSET = 10000;

    private final Path binary;
    private final Path configFile;
    private final List<String> extraArgs;
    private final String password;
    private final Path dir;
    private final Path logFile;
    private final int port;
    private final FixtureConnection connection;

    private Process process;
    private boolean paused;
    private boolean closed;

    private ProcessRedisServer(Path binary, Path configFile, List<String> extraArgs,
                               String password, Path dir, int port) {
        this.binary = binary;
        this.configFile = configFile;
        this.extraArgs = List.copyOf(extraArgs);
        this.password = password;
        this.dir = dir;
        this.logFile = dir.resolve("redis.log");
        this.port = port;
        this.connection = new FixtureConnection(uri());
    }

    /** Starts a server on a free port; see {@link RedisServer#start()}. */
    static ProcessRedisServer start(Path binary, List<String> extraArgs, String password) {
        return start(binary, null, extraArgs, password);
    }

    /**
     * Starts a server on a free port with {@code configFile} (an absolute path, or null) as
     * its first argument, before the fixture's own options; a sentinel needs one
     * ({@code redis-server <conf> --sentinel}) because it rewrites it.
     */
    static ProcessRedisServer start(Path binary, Path configFile, List<String> extraArgs,
                                    String password) {
        return start(binary, configFile, extraArgs, password, false);
    }

    /**
     * Starts a cluster node ({@code extraArgs} should enable cluster mode) on a free port whose
     * cluster bus port, 10000 higher, is free as well.
     */
    static ProcessRedisServer startClusterNode(Path binary, List<String> extraArgs) {
        return start(binary, null, extraArgs, null, true);
    }

    private static ProcessRedisServer start(Path binary, Path configFile, List<String> extraArgs,
                                            String password, boolean clusterBus) {
        Path dir = TempFiles.createDir("holdfast-redis-");
        PortInUseException lastClash = null;
        try {
            for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
                ProcessRedisServer server =
                        new ProcessRedisServer(binary, configFile, extraArgs, password, dir,
                                clusterBus ? freePortWithBus() : freePort());
                try {
                    server.launch();
                    return server;
                } catch (PortInUseException e) {
                    lastClash = e;
                }
            }
        } catch (RuntimeException e) {
            TempFiles.deleteRecursively(dir);
            throw e;
        }
        TempFiles.deleteRecursively(dir);
        throw new IllegalStateException(
                "no free port for redis-server after " + PORT_ATTEMPTS + " attempts", lastClash);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String uri() {
        return password == null
                ? "redis://" + HOST + ":" + port
                : "redis://:" + password + "@" + HOST + ":" + port;
    }

    @Override
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    @Override
    public synchronized long pid() {
        requireOpen();
        return process.pid();
    }

    @Override
    public synchronized void kill() {
        requireOpen();
        connection.reset();
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit();
        }
        paused = false;
    }

    @Override
    public synchronized void stop() {
        requireOpen();
        connection.reset();
        if (process.isAlive()) {
            resume();
            process.destroy();
            if (!waitForExit(EXIT_TIMEOUT)) {
                log.warn("redis-server pid {} ignored SIGTERM for {}; killing it", pid(), EXIT_TIMEOUT);
                process.destroyForcibly();
                awaitExit();
            }
        }
        paused = false;
    }

    @Override
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public synchronized void pause() {
        requireOpen();
        if (!process.isAlive()) {
            throw new IllegalStateException("cannot pause " + this + ": it is not running");
        }
        if (!paused) {
            ProcessSignals.pause(process);
            paused = true;
        }
    }

    @Override
    public synchronized void resume() {
        requireOpen();
        if (paused) {
            ProcessSignals.resume(process);
            paused = false;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized boolean isPaused() {
        return paused;
    }

    @Override
    public synchronized RedisCommands<String, String> commands() {
        requireOpen();
        return connection.commands();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        connection.close();
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!waitForExit(EXIT_TIMEOUT)) {
                log.warn("redis-server pid {} did not exit after SIGKILL", process.pid());
            }
        }
        TempFiles.deleteRecursively(dir);
    }

    /** The last {@code maxLines} lines of this server's log (all its runs), for failure messages. */
    String logTail(int maxLines) {
        return TempFiles.tail(logFile, 0, maxLines);
    }

    @Override
    public synchronized String toString() {
        String pid = process == null ? "-" : Long.toString(process.pid());
        return "redis-server[pid=" + pid + ", port=" + port + "]";
    }

    /** Runs the process and waits until it answers PING. Data dies with the previous process. */
    private void launch() {
        long logOffset = TempFiles.size(logFile);
        ProcessBuilder builder = new ProcessBuilder(command())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        ProcessReaper.register(process);
        paused = false;
        awaitReady(logOffset);
        log.debug("started {} in {}", this, dir);
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if (configFile != null) {
            command.add(configFile.toString());
        }
        command.addAll(List.of(
                "--port", Integer.toString(port), "--bind", HOST,
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString(),
                // a replica may attach any time; serve it at once instead of after 5 s
                "--repl-diskless-sync-delay", "0"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        command.addAll(extraArgs);
        return command;
    }

    private void awaitReady(long logOffset) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!RespProbe.answersPing(HOST, port, password, PROBE_TIMEOUT)) {
            if (!process.isAlive()) {
                String tail = TempFiles.tail(logFile, logOffset, LOG_TAIL_LINES);
                String reason = "exited with code " + process.exitValue() + " during startup";
                if (tail.contains("Address already in use")) {
                    throw new PortInUseException(startFailure(reason, tail));
                }
                throw new IllegalStateException(startFailure(reason, tail));
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                waitForExit(EXIT_TIMEOUT);
                throw new IllegalStateException(startFailure(
                        "did not answer PING within " + READY_TIMEOUT,
                        TempFiles.tail(logFile, logOffset, LOG_TAIL_LINES)));
            }
            waitForExit(Duration.ofMillis(POLL_MILLIS));
        }
    }

    private String startFailure(String reason, String logTail) {
        return "redis-server on port " + port + " " + reason + "\ncommand: " + command()
                + "\nlog " + logFile + " (tail):\n" + logTail;
    }

    private void awaitExit() {
        if (!waitForExit(EXIT_TIMEOUT)) {
            throw new IllegalStateException(this + " did not exit within " + EXIT_TIMEOUT);
        }
    }

    /** Waits up to {@code timeout} for the process to exit; restores the interrupt flag. */
    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** A free port at most 55535 whose cluster bus port (+10000) is free too. */
    private static int freePortWithBus() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = freePort();
            if (port + CLUSTER_BUS_OFFSET <= 65535 && isFree(port + CLUSTER_BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + " + CLUSTER_BUS_OFFSET
                + ") on " + HOST);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }

    /** The chosen port was taken between picking it and the server binding it. */
    private static final class PortInUseException extends IllegalStateException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
