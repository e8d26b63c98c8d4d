package io.holdfast.demo;

import io.holdfast.testkit.ChildJvm;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flash-sale demo: the same racy sale run twice by several worker JVMs, once without a lock and
 * once under one {@code RLock}. Its last line is the locked run's result.
 *
 * <p>It only writes keys under {@code holdfast-demo:<random run id>:} and the lock of that run,
 * and deletes them at the end.
 */
final class SeckillDemo {

    private static final Pattern RESULT = Pattern.compile("sold=(\\d+) acquisitions=(\\d+)");
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

    private SeckillDemo() {
    }

    static int run(DemoOptions options) throws Exception {
        RedisServer throwaway = null;
        String uri = options.redisUri();
        if (uri == null) {
            throwaway = RedisServer.start();
            uri = throwaway.uri();
            System.out.println("started a throwaway redis-server at " + uri + " (use --redis URI or REDIS_URL for another)");
        }
        String run = "holdfast-demo:" + UUID.randomUUID();
        RedisClient redis = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> conn = redis.connect()) {
            Result unlocked = sale(options, uri, conn, run + ":unlocked", "-");
            System.out.println("unlocked: " + unlocked.describe(options));
            Result locked = sale(options, uri, conn, run + ":locked", run + ":lock");
            System.out.println("locked: " + locked.describe(options));
            return locked.oversold() == 0 && locked.sold() == options.tickets() ? 0 : 1;
        } finally {
            redis.shutdown();
            if (throwaway != null) {
                throwaway.close();
            }
        }
    }

    private static Result sale(DemoOptions options, String uri, StatefulRedisConnection<String, String> conn,
            String stockKey, String lockName) throws Exception {
        conn.sync().set(stockKey, Integer.toString(options.tickets()));
        long start = System.nanoTime();
        List<ChildJvm> workers = new ArrayList<>();
        try {
            for (int i = 0; i < options.processes(); i++) {
                workers.add(ChildJvm.builder(SeckillWorker.class)
                        .arg(uri, stockKey, lockName, Integer.toString(options.threads())).start());
            }
            int sold = 0;
            int acquisitions = 0;
            for (ChildJvm w : workers) {
                Matcher m = RESULT.matcher(w.awaitLine(l -> RESULT.matcher(l).find(), RUN_LIMIT));
                if (!m.find()) {
                    throw new IllegalStateException("worker " + w + " did not report");
                }
                sold += Integer.parseInt(m.group(1));
                acquisitions += Integer.parseInt(m.group(2));
                w.waitForExit(Duration.ofSeconds(30));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(sold, Math.max(0, sold - options.tickets()), acquisitions, millis);
        } finally {
            workers.forEach(ChildJvm::close);
            conn.sync().del(stockKey, "holdfast:{" + lockName + "}");
        }
    }

    private record Result(int sold, int oversold, int acquisitions, long millis) {
        String describe(DemoOptions o) {
            return "sold=" + sold + " oversold=" + oversold + " processes=" + o.processes()
                    + " threads=" + o.processes() * o.threads() + " tickets=" + o.tickets()
                    + (acquisitions > 0 ? " acquisitions=" + acquisitions : "") + " elapsed=" + millis + "ms";
        }
    }
}
