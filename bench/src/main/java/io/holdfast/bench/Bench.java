package io.holdfast.bench;

import io.holdfast.testkit.RedisServer;
import java.util.List;

/**
 * What every scenario run shares: the Redis under test, the probe connection, the settings, and
 * the standard way to measure a load (warm-up, timed run with INFO deltas, MONITOR cost run).
 */
final class Bench {

    private final RedisServer redis;
    private final RedisProbe probe;
    private final Settings settings;

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

    /** A fresh MONITOR on the server under test. */
    MonitorCounter monitor() {
        return new MonitorCounter(probe, redis.host(), redis.port());
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
