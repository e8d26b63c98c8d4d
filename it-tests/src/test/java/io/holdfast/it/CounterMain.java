package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Child-JVM program for the cross-process exclusion check of the reentrant lock. Arguments: redis
 * URI, lock name, threads, acquisitions per thread. Prints {@code ready}, waits for a {@code go}
 * line on stdin, then per critical section one line {@code I <startNanos> <endNanos>}
 * ({@link System#nanoTime()}, taken after {@code lock()} returned and before {@code unlock()} is
 * called), and {@code done} at the end.
 *
 * <p>The critical section increments the Redis string {@code <name>:counter} non-atomically (GET,
 * then SET), so two holders at once would also lose an increment.
 */
public final class CounterMain {

    private CounterMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String name = args[1];
        int threads = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        Holdfast holdfast = WorkerChildren.client(uri);
        RedisClient plain = RedisClient.create(uri);
        if (!WorkerChildren.awaitGo()) {
            return;
        }
        WorkerChildren.runThreads(threads, t -> {
            StatefulRedisConnection<String, String> connection = plain.connect();
            return () -> increment(holdfast.getLock(name), connection.sync(), name + ":counter", ops);
        });
        holdfast.close();
        plain.shutdown();
    }

    private static void increment(RLock lock, RedisCommands<String, String> redis, String counter, int ops) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ops; i++) {
            lock.lock();
            long start = System.nanoTime();
            String v = redis.get(counter);
            redis.set(counter, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
            long end = System.nanoTime();
            lock.unlock();
            out.setLength(0);
            System.out.println(out.append("I ").append(start).append(' ').append(end));
        }
    }
}
