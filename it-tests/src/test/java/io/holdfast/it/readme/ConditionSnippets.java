package io.holdfast.it.readme;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The README's condition and template snippets (regions between {@code readme:begin} and
 * {@code readme:end}), run by {@link ReadmeSnippetsTest}: a bounded buffer kept in Redis whose
 * producers and consumers may live in different processes.
 */
class ConditionSnippets {

    private final RedisCommands<String, String> redis;
    private final RLock lock;
    private final Condition notFull;
    private final Condition notEmpty;
    private final int capacity = 10;

    ConditionSnippets(Holdfast holdfast, RedisCommands<String, String> redis) {
        this.redis = redis;
        // readme:begin
        lock = holdfast.getLock("jobs");
        notFull = lock.newCondition("notFull");    // named: every process reaches the same condition
        notEmpty = lock.newCondition("notEmpty");
        // readme:end
    }

    // readme:begin
    void put(String job) throws InterruptedException {
        lock.lock();
        try {
            while (redis.llen("jobs:queue") >= capacity) {
                notFull.await();                   // releases every level, takes them again before returning
            }
            redis.rpush("jobs:queue", job);
            notEmpty.signal();                     // wakes the longest-waiting consumer, in any process
        } finally {
            lock.unlock();
        }
    }

    String take() throws InterruptedException {
        lock.lock();
        try {
            while (redis.llen("jobs:queue") == 0) {
                notEmpty.await();
            }
            String job = redis.lpop("jobs:queue");
            notFull.signal();
            return job;
        } finally {
            lock.unlock();
        }
    }
    // readme:end

    long pending;

    boolean templates(Holdfast holdfast) throws InterruptedException {
        // readme:begin
        RLock report = holdfast.getLock("nightly-report");
        report.runLocked(() -> redis.incr("reports:done"));                 // lock, run, unlock in a finally
        long pendingNow = report.callLocked(() -> redis.llen("jobs:queue")); // with a result
        boolean ran = report.tryRunLocked(2, TimeUnit.SECONDS, () -> redis.incr("reports:done"));
        // readme:end
        pending = pendingNow;
        return ran;
    }

    /** Each node's scheduler calls this every minute; the job runs on one node per minute. */
    boolean scheduledJob(Holdfast holdfast) throws InterruptedException {
        // readme:begin
        RLock cleanup = holdfast.getLock("hourly-cleanup");
        boolean ran = cleanup.tryRunJob(
            Duration.ofMinutes(10),    // at most: the lease; a hung job or a dead node frees it then
            Duration.ofSeconds(30),    // at least: other nodes skip it for 30 s after it started
            () -> redis.del("sessions:expired"));
        // readme:end
        return ran;
    }
}
