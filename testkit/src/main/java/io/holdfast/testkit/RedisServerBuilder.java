package io.holdfast.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Configures and starts a {@link RedisServer}. Obtain one with {@link RedisServer#builder()}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.builder()
 *         .arg("--maxmemory-policy", "allkeys-lru")
 *         .requirePass("pw")
 *         .start()) { ... }
 * }</pre>
 *
 * <p>A builder is not thread-safe but may be reused: each {@link #start()} starts a new server.
 */
public final class RedisServerBuilder {

    private static final Duration REPLICA_SYNC_TIMEOUT = Duration.ofSeconds(10);

    private final List<String> args = new ArrayList<>();
    private String password;
    private Path binary;
    private RedisServer master;

    RedisServerBuilder() {}

    /**
     * Appends command-line arguments, passed to {@code redis-server} after the fixture's own
     * ({@code --port}, {@code --bind}, {@code --save}, ...), so they may override them.
     */
    public RedisServerBuilder arg(String... args) {
        for (String arg : args) {
            this.args.add(Objects.requireNonNull(arg, "arg"));
        }
        return this;
    }

    /** Makes the server require {@code password} ({@code --requirepass}); it appears in the URI. */
    public RedisServerBuilder requirePass(String password) {
        this.password = Objects.requireNonNull(password, "password");
        return this;
    }

    /**
     * Uses this {@code redis-server} binary instead of {@code HOLDFAST_REDIS_SERVER} or the
     * {@code PATH}. If it is not executable, {@link #start()} fails rather than falling back.
     */
    public RedisServerBuilder binary(Path redisServer) {
        this.binary = Objects.requireNonNull(redisServer, "redisServer");
        return this;
    }

    /**
     * Makes the server a replica of {@code master}; {@link #start()} then also waits until the
     * replication link is up. Only process-based masters are supported.
     *
     * @throws UnsupportedOperationException if {@code master} runs in a container
     */
    public RedisServerBuilder replicaOf(RedisServer master) {
        if (!(master instanceof ProcessRedisServer)) {
            throw new UnsupportedOperationException(
                    "replicas need a process-based master (install redis-server); got " + master);
        }
        this.master = master;
        return this;
    }

    /**
     * Starts the server and waits at most 10 s until it answers {@code PING} (and, for a replica,
     * until its master link is up).
     *
     * @throws IllegalStateException if no Redis is available (the message says how to install
     *     one), or if the server fails to start (the message includes its log tail)
     */
    public RedisServer start() {
        Optional<Path> redisServer = RedisBinary.locate(binary);
        if (redisServer.isPresent()) {
            RedisServer server = ProcessRedisServer.start(redisServer.get(), allArgs(), password);
            return master == null ? server : awaitReplicaLinkUp(server);
        }
        if (master == null && ContainerRedisServer.dockerAvailable()) {
            return ContainerRedisServer.start(List.copyOf(args), password);
        }
        throw new IllegalStateException(RedisBinary.noRedisMessage());
    }

    private List<String> allArgs() {
        List<String> all = new ArrayList<>();
        if (master != null) {
            all.addAll(List.of("--replicaof", master.host(), Integer.toString(master.port())));
            master.password().ifPresent(pw -> all.addAll(List.of("--masterauth", pw)));
        }
        all.addAll(args);
        return all;
    }

    private static RedisServer awaitReplicaLinkUp(RedisServer replica) {
        try {
            Awaitility.await("replica link up on port " + replica.port())
                    .atMost(REPLICA_SYNC_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> replica.commands().info("replication")
                            .contains("master_link_status:up"));
            return replica;
        } catch (ConditionTimeoutException e) {
            String info = replica.commands().info("replication");
            replica.close();
            throw new IllegalStateException("replica did not sync with its master:\n" + info, e);
        }
    }
}
