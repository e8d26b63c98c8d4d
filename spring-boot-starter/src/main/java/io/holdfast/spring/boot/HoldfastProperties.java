package io.holdfast.spring.boot;

import io.holdfast.HoldfastOptions;
import io.holdfast.ReplicaAcknowledgement;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code holdfast.*} properties the auto-configured client is built from. A property left unset
 * keeps {@link HoldfastOptions}' default; a value {@link HoldfastOptions.Builder} refuses fails the
 * application's start with the builder's message.
 */
@ConfigurationProperties(prefix = "holdfast")
public class HoldfastProperties {

    /** Redis URI: redis://, rediss:// (TLS) or redis-sentinel://host:port,host:port?sentinelMasterId=name. */
    private String uri = "redis://localhost:6379";
    /** Lease of holds taken without a lease time, renewed while their holder lives (Holdfast's default: 30s). */
    private Duration watchdogLease;
    /** Timeout of one Redis command (Holdfast's default: 5s). */
    private Duration commandTimeout;
    /** Prefix of every key and channel Holdfast writes; no braces (Holdfast's default: holdfast:). */
    private String keyPrefix;
    /** How long a fair-lock waiter keeps its place without renewing it (Holdfast's default: 5s). */
    private Duration fairWaiterTimeout;
    /** How many lock objects the client caches by name (Holdfast's default: 10000). */
    private Integer lockCacheSize;
    /** PEM file of the CA certificates a rediss:// server must chain to (default: the JVM's trust store). */
    private Path trustedCertificates;
    private final ReplicaAcknowledgementProperties replicaAcknowledgement = new ReplicaAcknowledgementProperties();
    private final Health health = new Health();
    private final Metrics metrics = new Metrics();
    private final LockRegistry lockRegistry = new LockRegistry();

    /**
     * Options of these properties, before any {@link HoldfastOptionsCustomizer}.
     *
     * @return a builder with every property that is set applied
     * @throws IllegalArgumentException if a value is out of the builder's bounds
     */
    public HoldfastOptions.Builder toBuilder() {
        HoldfastOptions.Builder b = HoldfastOptions.builder(uri);
        if (watchdogLease != null) {
            b.watchdogLease(watchdogLease);
        }
        if (commandTimeout != null) {
            b.commandTimeout(commandTimeout);
        }
        if (keyPrefix != null) {
            b.keyPrefix(keyPrefix);
        }
        if (fairWaiterTimeout != null) {
            b.fairWaiterTimeout(fairWaiterTimeout);
        }
        if (lockCacheSize != null) {
            b.lockCacheSize(lockCacheSize);
        }
        if (trustedCertificates != null) {
            b.trustedCertificates(trustedCertificates);
        }
        if (replicaAcknowledgement.replicas > 0) {
            b.replicaAcknowledgement(replicaAcknowledgement.replicas, replicaAcknowledgement.timeout,
                    replicaAcknowledgement.policy);
        }
        return b;
    }

    /** @return the Redis URI: {@code redis://}, {@code rediss://} or {@code redis-sentinel://} */
    public String getUri() {
        return uri;
    }

    /** @param uri the Redis URI (default {@code redis://localhost:6379}) */
    public void setUri(String uri) {
        this.uri = uri;
    }

    /** @return the lease of watchdog-renewed holds, or null for Holdfast's default (30 s) */
    public Duration getWatchdogLease() {
        return watchdogLease;
    }

    /** @param watchdogLease the lease of watchdog-renewed holds */
    public void setWatchdogLease(Duration watchdogLease) {
        this.watchdogLease = watchdogLease;
    }

    /** @return the timeout of one Redis command, or null for Holdfast's default (5 s) */
    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    /** @param commandTimeout the timeout of one Redis command */
    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    /** @return the prefix of every key and channel, or null for Holdfast's default ({@code holdfast:}) */
    public String getKeyPrefix() {
        return keyPrefix;
    }

    /** @param keyPrefix the prefix of every key and channel */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** @return how long a fair-lock waiter keeps its place unrenewed, or null for the default (5 s) */
    public Duration getFairWaiterTimeout() {
        return fairWaiterTimeout;
    }

    /** @param fairWaiterTimeout how long a fair-lock waiter keeps its place unrenewed */
    public void setFairWaiterTimeout(Duration fairWaiterTimeout) {
        this.fairWaiterTimeout = fairWaiterTimeout;
    }

    /** @return how many lock objects the client caches, or null for the default (10 000) */
    public Integer getLockCacheSize() {
        return lockCacheSize;
    }

    /** @param lockCacheSize how many lock objects the client caches */
    public void setLockCacheSize(Integer lockCacheSize) {
        this.lockCacheSize = lockCacheSize;
    }

    /** @return the PEM file of CAs a {@code rediss://} server must chain to, or null for the JVM's trust store */
    public Path getTrustedCertificates() {
        return trustedCertificates;
    }

    /** @param trustedCertificates the PEM file of CAs a {@code rediss://} server must chain to */
    public void setTrustedCertificates(Path trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
    }

    /** @return {@code holdfast.replica-acknowledgement.*} */
    public ReplicaAcknowledgementProperties getReplicaAcknowledgement() {
        return replicaAcknowledgement;
    }

    /** @return {@code holdfast.health.*} */
    public Health getHealth() {
        return health;
    }

    /** @return {@code holdfast.metrics.*} */
    public Metrics getMetrics() {
        return metrics;
    }

    /** @return {@code holdfast.lock-registry.*} */
    public LockRegistry getLockRegistry() {
        return lockRegistry;
    }

    /** {@code holdfast.replica-acknowledgement.*}: see {@link ReplicaAcknowledgement}; off while replicas is 0. */
    public static class ReplicaAcknowledgementProperties {
        /** How many replicas must acknowledge a fresh hold (WAIT); 0: none is asked. */
        private int replicas;
        /** How long to wait for the replicas; shorter than the command timeout. */
        private Duration timeout = Duration.ofMillis(100);
        /** What an acquisition does when fewer replicas acknowledge: REQUIRE (give the hold back, fail) or WARN. */
        private ReplicaAcknowledgement.Policy policy = ReplicaAcknowledgement.Policy.REQUIRE;

        /** @return how many replicas must acknowledge a fresh hold; 0 (the default): none is asked */
        public int getReplicas() {
            return replicas;
        }

        /** @param replicas how many replicas must acknowledge a fresh hold */
        public void setReplicas(int replicas) {
            this.replicas = replicas;
        }

        /** @return how long to wait for them (default 100 ms) */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout how long to wait for them */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return what to do when fewer acknowledge (default {@code REQUIRE}) */
        public ReplicaAcknowledgement.Policy getPolicy() {
            return policy;
        }

        /** @param policy what to do when fewer acknowledge */
        public void setPolicy(ReplicaAcknowledgement.Policy policy) {
            this.policy = policy;
        }
    }

    /** {@code holdfast.health.*}. */
    public static class Health {
        /** How far back the health indicator counts lost leases. */
        private Duration lostLeaseWindow = Duration.ofMinutes(5);

        /** @return how far back the health indicator counts lost leases (default 5 minutes) */
        public Duration getLostLeaseWindow() {
            return lostLeaseWindow;
        }

        /** @param lostLeaseWindow how far back the health indicator counts lost leases */
        public void setLostLeaseWindow(Duration lostLeaseWindow) {
            this.lostLeaseWindow = lostLeaseWindow;
        }
    }

    /** {@code holdfast.metrics.*}. */
    public static class Metrics {
        /** Whether the Micrometer meters are registered when Micrometer is present. */
        private boolean enabled = true;

        /** @return whether the Micrometer meters are registered when Micrometer is present (default true) */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the Micrometer meters are registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code holdfast.lock-registry.*}. */
    public static class LockRegistry {
        /** Whether a Spring Integration LockRegistry bean is made when Spring Integration is present. */
        private boolean enabled = true;
        /** Whether the LockRegistry's locks are fair (first come, first served) locks. */
        private boolean fair;

        /** @return whether a Spring Integration {@code LockRegistry} bean is made when it is present (default true) */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether a {@code LockRegistry} bean is made */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return whether its locks are fair locks (default false: reentrant locks) */
        public boolean isFair() {
            return fair;
        }

        /** @param fair whether its locks are fair locks */
        public void setFair(boolean fair) {
            this.fair = fair;
        }
    }
}
