package io.holdfast.bench;

import io.holdfast.testkit.RedisServer;
import java.util.List;
import java.util.concurrent.locks.Lock;

/**
 * What every scenario run shares: the Redis under test, the probe connection, the settings, and
 * the standard way to measure a load (warm-up, timed run with INFO deltas, MONITOR cost run).
 */
final class Bench implements AutoCloseable {

    private final RedisServer redis;
    private final RedisProbe probe;
    private final Settings settings;
    /** The cluster scenarios' cluster: started by the first of them, closed with the bench. */
    private BenchCluster cluster;
    /** Why the cluster could not start, so the next cluster round fails at once instead of trying again. */
    private RuntimeException clusterFailure;

    Bench(RedisServer redis, RedisProbe probe, Settings settings) {
        this.redis = redis;
        this.probe = probe;
        this.settings = settings;
    }

    String uri() {
        return redis.uri();
    }

    RedisProbe probe() {
        return probe;
    }

    Settings settings() {
        return settings;
    }

    /**
     * The Redis Cluster of the {@code cluster-*} scenarios, started at the first call.
     *
     * @throws IllegalStateException if it could not start (then, or at an earlier call)
     */
    BenchCluster cluster() {
        if (clusterFailure != null) {
            throw new IllegalStateException("the bench's Redis Cluster did not start", clusterFailure);
        }
        if (cluster == null) {
            try {
                cluster = BenchCluster.start(settings.cluster());
            } catch (RuntimeException e) {
                clusterFailure = e;
                throw e;
            }
        }
        return cluster;
    }

    /** Stops the cluster, if a scenario started it (the standalone server is the caller's). */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A fresh MONITOR on the server under test. */
    MonitorCounter monitor() {
        return new MonitorCounter(probe, redis.host(), redis.port());
    }

    /** What one thread does to one lock, once per iteration. */
    @FunctionalInterface
    interface LockOp {
        void run(Lock lock);
    }

    /**
     * One client of {@code library}, one thread repeating {@code op} on lock {@code lockName}; each
     * iteration's time divided by {@code perIteration} is recorded as group {@code group}'s latency.
     * Measured as {@link #measure} does.
     */
    Load.Result oneThread(Library library, String lockName, String group, int perIteration, Measurement m, LockOp op)
            throws InterruptedException {
        try (LockClient client = library.connect(uri(), Scenario.DEFAULT_LEASE)) {
            Lock lock = client.lock(lockName);
            return measure(List.of(new Load.Group(group, 1, i -> h -> {
                long t = System.nanoTime();
                op.run(lock);
                Load.record(h, (System.nanoTime() - t) / perIteration);
            })), group, m);
        }
    }

    /**
     * Warms up, then runs {@code groups} for the timed duration, recording into {@code m} the
     * Redis commands and CPU per operation of group {@code perOpOf}; then runs them again shortly
     * under MONITOR for the client-sent / in-script split.
     *
     * @return the timed run's result
     */
    Load.Result measure(List<Load.Group> groups, String perOpOf, Measurement m) throws InterruptedException {
        Load.run(settings.warmup(), groups);
        RedisWork before = probe.snapshot();
        Load.Result timed = Load.run(settings.timed(), groups);
        RedisWork work = probe.snapshot().minus(before);
        m.redisWork(work, timed.ops().get(perOpOf));
        try (MonitorCounter monitor = monitor()) {
            Load.Result costed = Load.run(settings.cost(), groups);
            monitor.drain();
            double ops = Math.max(1, costed.ops().get(perOpOf));
            m.put("client commands/op", monitor.clientCommands() / ops);
            m.put("in-script commands/op", monitor.scriptCommands() / ops);
        }
        return timed;
    }
}
