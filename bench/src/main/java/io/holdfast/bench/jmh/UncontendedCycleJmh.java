package io.holdfast.bench.jmh;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * The micro-level number behind the "uncontended" scenario: one {@code lock()} + {@code unlock()}
 * cycle of a free lock, per library, against a throwaway redis-server, and the floor (two
 * {@code EVALSHA} round trips of {@code return 1}). Run it with
 * {@code java -cp bench/target/holdfast-bench-*-all.jar org.openjdk.jmh.Main UncontendedCycleJmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UncontendedCycleJmh {

    private RedisServer redis;
    private Holdfast holdfast;
    private RLock holdfastLock;
    private RedissonClient redisson;
    private org.redisson.api.RLock redissonLock;
    private RedisClient lettuce;
    private StatefulRedisConnection<String, String> connection;
    private String sha;

    @Setup(Level.Trial)
    public void start() {
        redis = RedisServer.start();
        holdfast = Holdfast.connect(redis.uri());
        holdfastLock = holdfast.getLock("jmh:holdfast");
        Config config = new Config();
        config.useSingleServer().setAddress(redis.uri());
        redisson = Redisson.create(config);
        redissonLock = redisson.getLock("jmh:redisson");
        lettuce = RedisClient.create(redis.uri());
        connection = lettuce.connect();
        sha = connection.sync().scriptLoad("return 1");
    }

    @TearDown(Level.Trial)
    public void stop() {
        holdfast.close();
        redisson.shutdown();
        connection.close();
        lettuce.shutdown();
        redis.close();
    }

    @Benchmark
    public void holdfast() {
        holdfastLock.lock();
        holdfastLock.unlock();
    }

    @Benchmark
    public void redisson() {
        redissonLock.lock();
        redissonLock.unlock();
    }

    @Benchmark
    public Object floor() {
        RedisCommands<String, String> sync = connection.sync();
        sync.evalsha(sha, ScriptOutputType.INTEGER);
        return sync.evalsha(sha, ScriptOutputType.INTEGER);
    }
}
