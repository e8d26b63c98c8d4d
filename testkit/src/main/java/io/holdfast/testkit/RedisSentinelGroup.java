package io.holdfast.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Redis Sentinel deployment for tests: one master, {@code N} replicas (default 2) and
 * {@code M} sentinels (default 3, quorum 2) monitoring the master under a name (default
 * {@value #DEFAULT_MASTER_NAME}), all {@code redis-server} processes from the same binary as
 * {@link RedisServer} (found the same way, see {@link RedisServer#start()}; there is no container
 * fallback). Every process listens on its own free port of {@code 127.0.0.1} and keeps its log in
 * its own temporary directory; the last lines of the logs are included in failure messages.
 *
 * <p>{@link #start()} starts the master, then each replica (waiting until its link to the master
 * is up), then each sentinel as {@code redis-server <conf> --sentinel}, where {@code <conf>} is a
 * file written to a temporary directory of the group (sentinels rewrite their configuration) with
 * fast failover settings: {@code down-after-milliseconds} 1000 and {@code failover-timeout} 3000
 * unless changed on the {@link Builder}, which can also set a password for the data servers.
 * It then waits (at most 30 s) until every sentinel sees the master, all replicas and all other
 * sentinels, so a failover can start at once.
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
 *     RedisClient client = RedisClient.create(group.uri());
 *     ...
 *     RedisServer old = group.killMaster();
 *     RedisServer master = group.awaitNewMaster(old, Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>{@link #close()} kills every process (sentinels first, so none starts a failover while the
 * others go) and deletes every temporary directory; processes left over at JVM exit are killed by
 * the testkit's shutdown hook. Instances are safe to use from several threads: public methods are
 * {@code synchronized}.
 */
public final class RedisSentinelGroup implements AutoCloseable {

    /** The master name the sentinels monitor unless {@link Builder#masterName(String)} is set. */
    public static final String DEFAULT_MASTER_NAME = "holdfast";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SENTINEL_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final int LOG_TAIL_LINES = 15;

    private final String masterName;
    private final String password;
    private final Path confDir;
    private final List<ProcessRedisServer> dataServers = new ArrayList<>();
    private final List<ProcessRedisServer> sentinels = new ArrayList<>();
    private final Map<ProcessRedisServer, StatefulRedisSentinelConnection<String, String>>
            sentinelConnections = new LinkedHashMap<>();
    private RedisClient sentinelClient;
    private boolean closed;

    private RedisSentinelGroup(String masterName, String password, Path confDir) {
        this.masterName = masterName;
        this.password = password;
        this.confDir = confDir;
    }

    /**
     * Starts a group with the defaults (1 master, 2 replicas, 3 sentinels, quorum 2, master name
     * {@value #DEFAULT_MASTER_NAME}) and waits until the sentinels know the whole group.
     *
     * @throws IllegalStateException if no {@code redis-server} binary is available or the group
     *     does not come up within 30 s (the message includes the processes' log tails)
     */
    public static RedisSentinelGroup start() {
        return builder().start();
    }

    /** Returns a builder to change the group's size, master name, timings or binary. */
    public static Builder builder() {
        return new Builder();
    }

    /** The name under which the sentinels monitor the master. */
    public String masterName() {
        return masterName;
    }

    /**
     * A Lettuce sentinel URI naming every sentinel:
     * {@code redis-sentinel://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3?sentinelMasterId=holdfast}.
     * {@code RedisClient.create(uri).connect()} asks the sentinels for the master and connects to
     * it; on reconnect it asks again, so it follows a failover. With
     * {@link Builder#requirePass(String)} the URI starts {@code redis-sentinel://:PASSWORD@}:
     * Lettuce sends the password to the master, not to the sentinels (which need none).
     */
    public synchronized String uri() {
        return "redis-sentinel://" + (password == null ? "" : ":" + password + "@")
                + sentinels.stream()
                .map(s -> s.host() + ":" + s.port())
                .collect(Collectors.joining(","))
                + "?" + RedisURI.PARAMETER_NAME_SENTINEL_MASTER_ID + "=" + masterName;
    }

    /** The same as {@link #uri()}, as a {@link RedisURI}. */
    public synchronized RedisURI redisUri() {
        RedisURI.Builder builder = null;
        for (ProcessRedisServer sentinel : sentinels) {
            builder = builder == null
                    ? RedisURI.Builder.sentinel(sentinel.host(), sentinel.port(), masterName)
                    : builder.withSentinel(sentinel.host(), sentinel.port());
        }
        Objects.requireNonNull(builder, "no sentinels");
        if (password != null) {
            builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    /**
     * The data servers (master and replicas, whatever their current role), in start order: the
     * first one was the master at start. Killed servers stay in the list.
     */
    public synchronized List<RedisServer> servers() {
        return List.copyOf(dataServers);
    }

    /** The sentinels, in start order. Do not kill them unless the test is about sentinels. */
    public synchronized List<RedisServer> sentinels() {
        return List.copyOf(sentinels);
    }

    /**
     * The master as currently reported by the first sentinel that answers
     * ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}). Right after a failure this may still be the old
     * master; use {@link #awaitNewMaster(RedisServer, Duration)} to wait for the change.
     *
     * @throws IllegalStateException if no sentinel answers or the address is not one of
     *     {@link #servers()}
     */
    public synchronized RedisServer currentMaster() {
        requireOpen();
        RuntimeException last = null;
        for (ProcessRedisServer sentinel : sentinels) {
            if (!sentinel.isRunning()) {
                continue;
            }
            try {
                return serverAt(masterPortSeenBy(sentinel));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no sentinel reports a master for " + masterName, last);
    }

    /** The running data servers other than {@link #currentMaster()}. */
    public synchronized List<RedisServer> replicas() {
        RedisServer master = currentMaster();
        return dataServers.stream()
                .filter(s -> s != master && s.isRunning())
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Kills the {@link #currentMaster()} with {@code SIGKILL} (see {@link RedisServer#kill()})
     * and returns it. The sentinels notice after {@code down-after-milliseconds} and fail over;
     * wait for that with {@link #awaitNewMaster(RedisServer, Duration)}.
     */
    public synchronized RedisServer killMaster() {
        RedisServer master = currentMaster();
        master.kill();
        return master;
    }

    /**
     * Asks a sentinel for a manual failover ({@code SENTINEL FAILOVER <name>}) without
     * agreement from the others, and returns the master at that moment. The old master stays
     * up and becomes a replica; wait for the change with
     * {@link #awaitNewMaster(RedisServer, Duration)}.
     */
    public synchronized RedisServer failover() {
        RedisServer master = currentMaster();
        ProcessRedisServer sentinel = sentinels.stream().filter(ProcessRedisServer::isRunning)
                .findFirst().orElseThrow(() -> new IllegalStateException("no sentinel running"));
        sentinel(sentinel).failover(masterName);
        return master;
    }

    /**
     * Waits until the failover away from {@code oldMaster} is done and returns the new master:
     * every running sentinel reports the same master, other than {@code oldMaster}; that server
     * answers {@code ROLE} as master; and every other running data server except
     * {@code oldMaster} is its replica with the link up. Polls every 50 ms until
     * {@code timeout}. After {@link #failover()} the old master is still up; the sentinels turn
     * it into a replica some 10 to 20 s later (after it has reported itself master for a while),
     * which this method does not wait for.
     *
     * @throws IllegalStateException on timeout, with what each sentinel reports and their log
     *     tails
     */
    public synchronized RedisServer awaitNewMaster(RedisServer oldMaster, Duration timeout) {
        requireOpen();
        AtomicReference<RedisServer> newMaster = new AtomicReference<>();
        try {
            Awaitility.await("a new master instead of " + oldMaster)
                    .atMost(timeout)
                    .pollInterval(POLL)
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(() -> {
                        Set<Integer> ports = new HashSet<>();
                        for (ProcessRedisServer sentinel : sentinels) {
                            if (sentinel.isRunning()) {
                                ports.add(masterPortSeenBy(sentinel));
                            }
                        }
                        if (ports.size() != 1 || ports.contains(oldMaster.port())) {
                            return false;
                        }
                        RedisServer master = serverAt(ports.iterator().next());
                        if (!master.isRunning() || !isMaster(master)) {
                            return false;
                        }
                        for (ProcessRedisServer server : dataServers) {
                            if (server != master && server != oldMaster && server.isRunning()
                                    && !replicatesFrom(server, master)) {
                                return false;
                            }
                        }
                        newMaster.set(master);
                        return true;
                    });
            return newMaster.get();
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("no new master instead of " + oldMaster + " within "
                    + timeout + "\n" + describe(), e);
        }
    }

    /**
     * Kills every process, sentinels first, closes the fixture's sentinel connections and
     * deletes the temporary directories. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sentinelConnections.values().forEach(StatefulRedisSentinelConnection::close);
        sentinelConnections.clear();
        if (sentinelClient != null) {
            sentinelClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        sentinels.forEach(ProcessRedisServer::close);
        dataServers.forEach(ProcessRedisServer::close);
        TempFiles.deleteRecursively(confDir);
    }

    @Override
    public synchronized String toString() {
        return "RedisSentinelGroup[" + masterName + ", servers=" + dataServers + ", sentinels="
                + sentinels + "]";
    }

    private void launch(Path binary, int replicas, int sentinelCount, int quorum,
                        Duration downAfter, Duration failoverTimeout) {
        // every data server may become a replica, so each knows the password of the others
        List<String> auth = password == null ? List.of() : List.of("--masterauth", password);
        ProcessRedisServer master = ProcessRedisServer.start(binary, auth, password);
        dataServers.add(master);
        for (int i = 0; i < replicas; i++) {
            RedisServerBuilder replica = RedisServer.builder().binary(binary).replicaOf(master);
            if (password != null) {
                replica.requirePass(password);
            }
            dataServers.add((ProcessRedisServer) replica.start());
        }
        for (int i = 0; i < sentinelCount; i++) {
            Path conf = confDir.resolve("sentinel-" + i + ".conf");
            writeSentinelConf(conf, master, quorum, downAfter, failoverTimeout);
            sentinels.add(ProcessRedisServer.start(binary, conf, List.of("--sentinel"), null));
        }
        sentinelClient = RedisClient.create();
        awaitSentinelsSeeEverything(master, replicas, sentinelCount);
    }

    private void writeSentinelConf(Path conf, RedisServer master, int quorum,
                                   Duration downAfter, Duration failoverTimeout) {
        String text = String.join("\n",
                "sentinel monitor " + masterName + " " + master.host() + " " + master.port()
                        + " " + quorum,
                "sentinel down-after-milliseconds " + masterName + " " + downAfter.toMillis(),
                "sentinel failover-timeout " + masterName + " " + failoverTimeout.toMillis(),
                "sentinel parallel-syncs " + masterName + " 1",
                password == null ? "" : "sentinel auth-pass " + masterName + " " + password,
                "");
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
    }

    /** Waits until each sentinel knows the master, all replicas and all other sentinels. */
    private void awaitSentinelsSeeEverything(RedisServer master, int replicas, int sentinelCount) {
        try {
            Awaitility.await("sentinels know the master, " + replicas + " replicas and each other")
                    .atMost(START_TIMEOUT)
                    .pollInterval(POLL)
                    .pollInSameThread()
                    .ignoreExceptions()
                    .until(() -> {
                        for (ProcessRedisServer sentinel : sentinels) {
                            Map<String, String> state = sentinel(sentinel).master(masterName);
                            if (!"master".equals(state.get("flags"))
                                    || Integer.parseInt(state.get("port")) != master.port()
                                    || Integer.parseInt(state.get("num-slaves")) != replicas
                                    || Integer.parseInt(state.get("num-other-sentinels"))
                                            != sentinelCount - 1) {
                                return false;
                            }
                        }
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("sentinel group did not come up within "
                    + START_TIMEOUT + "\n" + describe(), e);
        }
    }

    private int masterPortSeenBy(ProcessRedisServer sentinel) {
        SocketAddress address = sentinel(sentinel).getMasterAddrByName(masterName);
        if (!(address instanceof InetSocketAddress)) {
            throw new IllegalStateException(sentinel + " reports no master for " + masterName);
        }
        return ((InetSocketAddress) address).getPort();
    }

    private RedisServer serverAt(int port) {
        return dataServers.stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the sentinels report a master on port " + port + ", not in "
                                + dataServers));
    }

    private RedisSentinelCommands<String, String> sentinel(ProcessRedisServer sentinel) {
        StatefulRedisSentinelConnection<String, String> connection =
                sentinelConnections.get(sentinel);
        if (connection == null || !connection.isOpen()) {
            RedisURI uri = RedisURI.create(sentinel.uri());
            uri.setTimeout(SENTINEL_COMMAND_TIMEOUT);
            connection = sentinelClient.connectSentinel(uri);
            sentinelConnections.put(sentinel, connection);
        }
        return connection.sync();
    }

    private static boolean isMaster(RedisServer server) {
        return server.commands().info("replication").contains("role:master");
    }

    private static boolean replicatesFrom(RedisServer replica, RedisServer master) {
        String info = replica.commands().info("replication");
        return info.contains("role:slave") && info.contains("master_port:" + master.port() + "\r")
                && info.contains("master_link_status:up");
    }

    /** What each sentinel reports and the tail of every log, for failure messages. */
    private String describe() {
        StringBuilder text = new StringBuilder();
        for (ProcessRedisServer sentinel : sentinels) {
            text.append("sentinel ").append(sentinel).append(" reports: ");
            try {
                text.append(sentinel.isRunning()
                        ? sentinel(sentinel).master(masterName) : "(dead)");
            } catch (RuntimeException e) {
                text.append(e);
            }
            text.append('\n');
        }
        List<ProcessRedisServer> all = new ArrayList<>(sentinels);
        all.addAll(dataServers);
        for (ProcessRedisServer server : all) {
            text.append("--- log of ").append(server).append(":\n")
                    .append(server.logTail(LOG_TAIL_LINES)).append('\n');
        }
        return text.toString();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /**
     * Configures and starts a {@link RedisSentinelGroup}; obtain one with
     * {@link RedisSentinelGroup#builder()}. Not thread-safe; each {@link #start()} starts a new
     * group.
     */
    public static final class Builder {

        private int replicas = 2;
        private int sentinels = 3;
        private int quorum = 2;
        private String masterName = DEFAULT_MASTER_NAME;
        private Duration downAfter = Duration.ofMillis(1000);
        private Duration failoverTimeout = Duration.ofMillis(3000);
        private Path binary;
        private String password;

        private Builder() {}

        /**
         * Makes the master and replicas require {@code password} ({@code --requirepass}, and
         * {@code --masterauth} so any of them can replicate from another; the sentinels get
         * {@code sentinel auth-pass}). The sentinels themselves need no password. It appears in
         * {@link RedisSentinelGroup#uri()}, so it should be URI-safe.
         */
        public Builder requirePass(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The number of replicas of the master (default 2; 0 allowed, but then no failover). */
        public Builder replicas(int replicas) {
            if (replicas < 0) {
                throw new IllegalArgumentException("replicas < 0: " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * The number of sentinels (default 3) and how many must agree that the master is down
         * before one fails over (the quorum, default 2).
         */
        public Builder sentinels(int sentinels, int quorum) {
            if (sentinels < 1 || quorum < 1 || quorum > sentinels) {
                throw new IllegalArgumentException(
                        "need 1 <= quorum <= sentinels: " + quorum + ", " + sentinels);
            }
            this.sentinels = sentinels;
            this.quorum = quorum;
            return this;
        }

        /**
         * The name the sentinels monitor the master under (default
         * {@value RedisSentinelGroup#DEFAULT_MASTER_NAME}); letters, digits, {@code _.-} only.
         */
        public Builder masterName(String masterName) {
            if (!masterName.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("master name must be URI- and config-safe: "
                        + masterName);
            }
            this.masterName = masterName;
            return this;
        }

        /**
         * The sentinels' {@code down-after-milliseconds} (default 1000) and
         * {@code failover-timeout} (default 3000).
         */
        public Builder timings(Duration downAfter, Duration failoverTimeout) {
            this.downAfter = Objects.requireNonNull(downAfter, "downAfter");
            this.failoverTimeout = Objects.requireNonNull(failoverTimeout, "failoverTimeout");
            return this;
        }

        /** Uses this {@code redis-server} binary, as {@link RedisServerBuilder#binary(Path)}. */
        public Builder binary(Path redisServer) {
            this.binary = Objects.requireNonNull(redisServer, "redisServer");
            return this;
        }

        /**
         * Starts the group as described on {@link RedisSentinelGroup} and waits (at most 30 s)
         * until every sentinel sees the master, the replicas and the other sentinels. On failure
         * everything started so far is killed.
         *
         * @throws IllegalStateException if no {@code redis-server} binary is available or the
         *     group does not come up (the message includes the log tails)
         */
        public RedisSentinelGroup start() {
            Optional<Path> redisServer = RedisBinary.locate(binary);
            if (redisServer.isEmpty()) {
                throw new IllegalStateException("a sentinel group needs a redis-server binary. "
                        + RedisBinary.noRedisMessage());
            }
            RedisSentinelGroup group =
                    new RedisSentinelGroup(masterName, password,
                            TempFiles.createDir("holdfast-sentinel-"));
            try {
                group.launch(redisServer.get(), replicas, sentinels, quorum, downAfter,
                        failoverTimeout);
                return group;
            } catch (RuntimeException | Error e) {
                group.close();
                throw e;
            }
        }
    }
}
