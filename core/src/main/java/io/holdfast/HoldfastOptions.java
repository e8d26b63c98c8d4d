package io.holdfast;

import io.lettuce.core.resource.ClientResources;
import io.netty.util.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Everything a {@link Holdfast} client is configured with. Immutable; build with
 * {@link #builder(String)}.
 */
public final class HoldfastOptions {

    private final String redisUri;
    private final Duration watchdogLease;
    private final Duration commandTimeout;
    private final String keyPrefix;
    private final Duration fairWaiterTimeout;
    private final int lockCacheSize;
    private final LeaseListener leaseListener;
    private final ReplicaAcknowledgement replicaAcknowledgement;
    private final Executor callbackExecutor;
    private final Path trustedCertificates;
    private final Ticker ticker;
    private final Timer timer;
    private final HoldfastObserver observer;
    private final ClientResources clientResources;

    private HoldfastOptions(Builder b) {
        this.clientResources = b.clientResources;
        this.observer = b.observer;
        this.ticker = b.ticker;
        this.timer = b.timer;
        this.trustedCertificates = b.trustedCertificates;
        this.callbackExecutor = b.callbackExecutor;
        this.redisUri = b.redisUri;
        this.watchdogLease = b.watchdogLease;
        this.commandTimeout = b.commandTimeout;
        this.keyPrefix = b.keyPrefix;
        this.fairWaiterTimeout = b.fairWaiterTimeout;
        this.lockCacheSize = b.lockCacheSize;
        this.leaseListener = b.leaseListener;
        this.replicaAcknowledgement = b.replicaAcknowledgement;
    }

    /**
     * Starts options for the Redis at {@code redisUri}: {@code redis://[user:password@]host[:port][/database]}
     * or {@code rediss://...} for TLS; through Sentinels
     * {@code redis-sentinel://[password@]host:port[,host:port...]/[database]#masterName}; a Redis
     * Cluster {@code redis-cluster://[user:password@]host:port[,host:port...]} (or
     * {@code rediss-cluster://} for TLS; the same as {@link #clusterBuilder}).
     *
     * @param redisUri the Redis URI
     * @return a builder with every other option at its default
     */
    public static Builder builder(String redisUri) {
        return new Builder(redisUri);
    }

    /**
     * Starts options for a Redis Cluster, given some of its nodes. The client learns every node and
     * slot from the first seed that answers, routes each lock to the master of its slot and follows
     * failovers and slot migrations; see the README's "Redis Cluster" section.
     *
     * @param seeds URIs of some nodes: {@code redis://[user:password@]host:port}, or
     *     {@code rediss://...} for TLS; every seed with the same scheme and credentials, and no
     *     database (a Cluster has only database 0)
     * @return a builder whose {@link #redisUri()} is
     *     {@code redis-cluster://[user:password@]host:port,host:port...}
     * @throws IllegalArgumentException if no seed is given, a seed is not such a URI, or the seeds
     *     differ in scheme or credentials
     */
    public static Builder clusterBuilder(String... seeds) {
        Objects.requireNonNull(seeds, "seeds");
        if (seeds.length == 0) {
            throw new IllegalArgumentException("a Redis Cluster needs at least one seed URI");
        }
        String scheme = null;
        String userInfo = null;
        StringBuilder hosts = new StringBuilder();
        for (String seed : seeds) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(Objects.requireNonNull(seed, "seed"));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("seed is not a URI: " + seed + " (" + e.getReason() + ")", e);
            }
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null
                    || uri.getPort() < 0 || uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new IllegalArgumentException("a Cluster seed must be redis://[user:password@]host:port or "
                        + "rediss://..., without a database: " + seed.replace(String.valueOf(uri.getRawUserInfo()), "***"));
            }
            if (scheme != null && (!scheme.equals(uri.getScheme()) || !Objects.equals(userInfo, uri.getRawUserInfo()))) {
                throw new IllegalArgumentException("every Cluster seed must have the same scheme and credentials");
            }
            scheme = uri.getScheme();
            userInfo = uri.getRawUserInfo();
            hosts.append(hosts.length() == 0 ? "" : ",").append(uri.getRawAuthority()
                    .substring(uri.getRawAuthority().lastIndexOf('@') + 1));
        }
        return new Builder(scheme + "-cluster://" + (userInfo == null ? "" : userInfo + "@") + hosts);
    }

    /**
     * The Redis URI these options connect to.
     *
     * @return the URI given to {@link #builder(String)}
     */
    public String redisUri() {
        return redisUri;
    }

    /**
     * Lease of holds renewed by the watchdog; each is renewed once between 1/2 and 7/12 of it.
     *
     * @return the watchdog lease
     */
    public Duration watchdogLease() {
        return watchdogLease;
    }

    /**
     * How long one Redis command may take before it fails with {@link HoldfastTimeoutException}.
     *
     * @return the command timeout
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * Prefix of every key and channel Holdfast writes.
     *
     * @return the key prefix
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * How long a fair-lock waiter keeps its place in the queue without renewing it.
     *
     * @return the fair waiter timeout
     */
    public Duration fairWaiterTimeout() {
        return fairWaiterTimeout;
    }

    /**
     * How many lock objects the client keeps cached by name.
     *
     * @return the cache size
     */
    public int lockCacheSize() {
        return lockCacheSize;
    }

    /**
     * Told when any hold of this client is lost; never null.
     *
     * @return the listener (a no-op by default)
     */
    public LeaseListener leaseListener() {
        return leaseListener;
    }

    /**
     * Replica acknowledgement after each fresh acquisition, if configured (default: none).
     *
     * @return the acknowledgement asked for, or empty
     */
    public Optional<ReplicaAcknowledgement> replicaAcknowledgement() {
        return Optional.ofNullable(replicaAcknowledgement);
    }

    /**
     * The executor user code runs on, if the user set one: the completion of every future the
     * API returns ({@code lockAsync}, {@code tryLockAsync}, {@code unlockAsync}), the
     * {@link Lease#whenLost()} stages and the {@link LeaseListener}. Empty: the client's own pool
     * of daemon threads named {@code holdfast-callbacks-N}, shut down at {@link Holdfast#close()}.
     *
     * @return the executor the user set, or empty
     */
    public Optional<Executor> callbackExecutor() {
        return Optional.ofNullable(callbackExecutor);
    }

    /**
     * The PEM file of CA certificates a {@code rediss://} server's certificate must chain to, if the
     * user set one; empty: the JVM's default trust store ({@code javax.net.ssl.trustStore}).
     *
     * @return the PEM file, or empty for the JVM's default trust store
     */
    public Optional<Path> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates);
    }

    /**
     * The clock every wait, lease validity and renewal deadline of the client is measured with.
     *
     * @return the ticker the user set, or {@link Ticker#system()}
     */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * The timer the client schedules retries, wake-up timeouts and renewals on, if the user set one;
     * empty: the client's own {@link io.netty.util.HashedWheelTimer}, stopped at {@link Holdfast#close()}.
     *
     * @return the timer the user set, or empty
     */
    public Optional<Timer> timer() {
        return Optional.ofNullable(timer);
    }

    /**
     * Told what the client's locks do (acquisitions, releases, renewals, losses, hand-overs);
     * never null.
     *
     * @return the observer the user set, or {@link HoldfastObserver#NONE}
     */
    public HoldfastObserver observer() {
        return observer;
    }

    /**
     * The Lettuce {@link ClientResources} the client's connections are built on, if the user set
     * them; empty: resources of the client's own, shut down at {@link Holdfast#close()}.
     *
     * @return the resources the user set, or empty
     */
    public Optional<ClientResources> clientResources() {
        return Optional.ofNullable(clientResources);
    }

    /** Builder of {@link HoldfastOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private final String redisUri;
        private Duration watchdogLease = Duration.ofSeconds(30);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private String keyPrefix = "holdfast:";
        private Duration fairWaiterTimeout = Duration.ofSeconds(5);
        private int lockCacheSize = 10_000;
        private LeaseListener leaseListener = (lease, cause) -> { };
        private ReplicaAcknowledgement replicaAcknowledgement;
        private Executor callbackExecutor;
        private Path trustedCertificates;
        private Ticker ticker = Ticker.system();
        private Timer timer;
        private HoldfastObserver observer = HoldfastObserver.NONE;
        private ClientResources clientResources;

        private Builder(String redisUri) {
            Objects.requireNonNull(redisUri, "redisUri");
            if (redisUri.isBlank()) {
                throw new IllegalArgumentException("redisUri is empty");
            }
            this.redisUri = redisUri;
        }

        /**
         * Lease of watchdog-renewed holds (default 30 s; at least 300 ms, at most
         * {@link RLock#MAX_LEASE_MILLIS}).
         *
         * @param lease the lease
         * @return this builder
         * @throws IllegalArgumentException if the lease is out of these bounds (the message names the limit)
         */
        public Builder watchdogLease(Duration lease) {
            this.watchdogLease = atLeast("watchdogLease", lease, Duration.ofMillis(300));
            if (lease.toMillis() > RLock.MAX_LEASE_MILLIS) {
                throw new IllegalArgumentException("watchdogLease must be at most " + RLock.MAX_LEASE_MILLIS + " ms: " + lease);
            }
            return this;
        }

        /**
         * Timeout of one Redis command (default 5 s).
         *
         * @param timeout the timeout, at least 1 ms
         * @return this builder
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = atLeast("commandTimeout", timeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * Prefix of every key and channel (default {@code holdfast:}).
         *
         * @param prefix the prefix; it must not contain '{' or '}'
         * @return this builder
         */
        public Builder keyPrefix(String prefix) {
            Objects.requireNonNull(prefix, "keyPrefix");
            if (prefix.contains("{") || prefix.contains("}")) {
                throw new IllegalArgumentException("keyPrefix must not contain '{' or '}': " + prefix);
            }
            this.keyPrefix = prefix;
            return this;
        }

        /**
         * How long a fair-lock waiter keeps its place without renewing it (default 5 s).
         *
         * @param timeout the timeout, at least 300 ms
         * @return this builder
         */
        public Builder fairWaiterTimeout(Duration timeout) {
            this.fairWaiterTimeout = atLeast("fairWaiterTimeout", timeout, Duration.ofMillis(300));
            return this;
        }

        /**
         * How many lock objects to keep cached by name (default 10 000).
         *
         * @param size the number of lock objects, at least 1
         * @return this builder
         */
        public Builder lockCacheSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("lockCacheSize must be positive: " + size);
            }
            this.lockCacheSize = size;
            return this;
        }

        /**
         * Told when any hold of this client is lost.
         *
         * @param listener the listener, called once per lost hold
         * @return this builder
         */
        public Builder leaseListener(LeaseListener listener) {
            this.leaseListener = Objects.requireNonNull(listener, "leaseListener");
            return this;
        }

        /**
         * Runs user code on {@code executor}: the completion of every future the API returns
         * ({@code lockAsync}, {@code tryLockAsync}, {@code unlockAsync}), the
         * {@link Lease#whenLost()} stages and the {@link LeaseListener}; never on a Redis I/O thread,
         * so that a callback may call the blocking API. Default: a pool of daemon threads of the
         * client's own, shut down at {@link Holdfast#close()}. An executor given here is not shut down
         * by Holdfast; it must not run tasks on the calling thread (a direct executor would run user
         * code on the I/O thread again), and should not reject them (a rejected completion fails the
         * future with {@link java.util.concurrent.RejectedExecutionException}).
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
            return this;
        }

        /**
         * Trusts, for a {@code rediss://} URI, the CA certificates in {@code pemFile} (one or more
         * {@code -----BEGIN CERTIFICATE-----} blocks) instead of the JVM's default trust store, e.g.
         * the private CA that signed the Redis server's certificate. The server's certificate must
         * still name the host of the URI. Ignored for {@code redis://}. A server whose certificate
         * does not chain to these CAs fails {@link Holdfast#connect} with a
         * {@link RedisUnavailableException} saying the TLS handshake failed and why.
         *
         * @param pemFile a PEM file of one or more CA certificates
         * @return this builder
         * @throws IllegalArgumentException if {@code pemFile} is not a readable file
         */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "trustedCertificates");
            if (!Files.isRegularFile(pemFile) || !Files.isReadable(pemFile)) {
                throw new IllegalArgumentException("trustedCertificates is not a readable file: " + pemFile);
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        /**
         * The clock the client measures time with: how long {@code tryLock} waits, how long a hold
         * is known to be valid ({@link Lease#validUntilNanos()}, {@link Lease#remaining}), when a
         * waiter retries and when the watchdog renews. Default: {@link Ticker#system()}. Meant for
         * tests, together with {@link #timer(Timer)}: a ticker moved by hand, and a timer that runs
         * the tasks due when the test moves it, make the client's timing testable without sleeping.
         * The ticker must be monotonic and count nanoseconds; it is read on Redis I/O and timer
         * threads, so it must be thread-safe and must not block. The server's leases still run on
         * the server's clock: a ticker that runs slower than real time makes the client believe
         * holds it no longer has.
         *
         * @param ticker the clock, monotonic, in nanoseconds
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * The timer the client schedules its delayed work on: a waiter's retry when its wait or the
         * holder's lease runs out, the watchdog's renewals, the retries of an undo, and the linger
         * of a pub/sub channel. The tasks are short and only start asynchronous Redis commands;
         * they may be cancelled. Default: a {@link io.netty.util.HashedWheelTimer} of the client's
         * own (10 ms ticks, one daemon thread named {@code holdfast-timer}), stopped at
         * {@link Holdfast#close()}. A timer given here is not stopped by Holdfast; tasks the client
         * scheduled on it may still run once after the close, and then do nothing. Meant for tests
         * (see {@link #ticker(Ticker)}): the timer's notion of "delay" should then be measured on
         * that same ticker, or retries and renewals drift from the deadlines the client computes.
         *
         * @param timer the timer; it must run each task once, when its delay has passed
         * @return this builder
         */
        public Builder timer(Timer timer) {
            this.timer = Objects.requireNonNull(timer, "timer");
            return this;
        }

        /**
         * Tells {@code observer} what the client's locks do, e.g. to record metrics (see
         * {@link HoldfastObserver} for the events, and the threads they are reported on). Default:
         * {@link HoldfastObserver#NONE}, which costs nothing.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(HoldfastObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Builds the client's Redis connections (standalone, Sentinel or Cluster) on these Lettuce
         * {@code resources} instead of resources of its own: e.g. to share event loops with other
         * Lettuce clients of the application, to read Lettuce's own command latency metrics
         * ({@link ClientResources#commandLatencyRecorder()}, which then sees every command Holdfast
         * sends), or to map the addresses a Cluster announces
         * ({@link ClientResources#socketAddressResolver()}). The caller owns them:
         * {@link Holdfast#close()} does not shut them down, and they must stay open until every
         * client using them is closed. Default: Holdfast creates its own
         * ({@code DefaultClientResources.create()}) and shuts them down at {@link Holdfast#close()}.
         *
         * @param resources the resources, not shut down
         * @return this builder
         * @throws IllegalArgumentException if {@code resources} were already shut down
         */
        public Builder clientResources(ClientResources resources) {
            Objects.requireNonNull(resources, "clientResources");
            if (resources.eventExecutorGroup().isShuttingDown()) {
                throw new IllegalArgumentException("clientResources are shut down: " + resources);
            }
            this.clientResources = resources;
            return this;
        }

        /**
         * After every fresh acquisition, wait up to {@code timeout} for {@code replicas} replicas to
         * acknowledge the hold, and apply {@code policy} if fewer do (default: no waiting). See
         * {@link ReplicaAcknowledgement} for what this does and does not guarantee, and its cost.
         *
         * @param replicas how many replicas must acknowledge
         * @param timeout how long to wait for them; shorter than the command timeout
         * @param policy what to do when fewer acknowledge in time
         * @return this builder
         */
        public Builder replicaAcknowledgement(int replicas, Duration timeout, ReplicaAcknowledgement.Policy policy) {
            this.replicaAcknowledgement = new ReplicaAcknowledgement(replicas, timeout, policy);
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options, immutable
         * @throws IllegalArgumentException if the replica acknowledgement timeout is not shorter
         *     than the command timeout (the {@code WAIT} command itself would time out first)
         */
        public HoldfastOptions build() {
            if (replicaAcknowledgement != null && replicaAcknowledgement.timeout().compareTo(commandTimeout) >= 0) {
                throw new IllegalArgumentException("replica acknowledgement timeout (" + replicaAcknowledgement.timeout().toMillis()
                        + " ms) must be shorter than the command timeout (" + commandTimeout.toMillis() + " ms)");
            }
            return new HoldfastOptions(this);
        }

        private static Duration atLeast(String what, Duration value, Duration min) {
            Objects.requireNonNull(value, what);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(what + " must be at least " + min.toMillis() + " ms: " + value);
            }
            return value;
        }
    }
}
