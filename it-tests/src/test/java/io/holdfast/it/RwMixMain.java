package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RReadWriteLock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Child-JVM program for the cross-process interval check: random reads and writes of a shared
 * value under one read-write lock. Arguments: redis URI, lock name, threads, operations per thread,
 * random seed. Prints {@code ready}, waits for a {@code go} line on stdin, then per critical
 * section one line {@code R|W <startNanos> <endNanos>} ({@link System#nanoTime()}, taken after the
 * lock was acquired and before it is released), {@code BAD ...} if a read saw the value change,
 * and {@code done} at the end.
 *
 * <p>The shared value is a Redis string updated non-atomically (GET, work, SET), so an
 * overlapping write would also lose an update. One write in ten downgrades: it takes the read lock,
 * releases the write lock and reads on (a W interval, then an R interval).
 */
public final class RwMixMain {

    private RwMixMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String name = args[1];
        int threads = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        Holdfast holdfast = WorkerChildren.client(uri);
        RedisClient plain = RedisClient.create(uri);
        if (!WorkerChildren.awaitGo()) {
            return;
        }
        WorkerChildren.runThreads(threads, t -> {
            StatefulRedisConnection<String, String> connection = plain.connect();
            Random random = new Random(seed * 31 + t);
            return () -> run(holdfast.getReadWriteLock(name), connection.sync(), name, ops, random);
        });
        holdfast.close();
        plain.shutdown();
    }

    private static void run(RReadWriteLock rw, RedisCommands<String, String> redis, String name, int ops, Random random) {
        String value = name + ":value";
        for (int i = 0; i < ops; i++) {
            if (random.nextInt(10) < 3) {
                rw.writeLock().lock();
                long start = System.nanoTime();
                String v = redis.get(value);
                work(random);
                redis.set(value, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
                if (random.nextInt(10) == 0) {
                    rw.readLock().lock();
                    long end = System.nanoTime();
                    rw.writeLock().unlock();
                    System.out.println("W " + start + " " + end);
                    read(rw, redis, value, random, System.nanoTime());
                } else {
                    long end = System.nanoTime();
                    rw.writeLock().unlock();
                    System.out.println("W " + start + " " + end);
                }
            } else {
                rw.readLock().lock();
                read(rw, redis, value, random, System.nanoTime());
            }
        }
    }

    /** Reads twice with work between (the read lock is held); records the interval and unlocks. */
    private static void read(RReadWriteLock rw, RedisCommands<String, String> redis, String value, Random random, long start) {
        String first = redis.get(value);
        work(random);
        String second = redis.get(value);
        long end = System.nanoTime();
        rw.readLock().unlock();
        if (first == null ? second != null : !first.equals(second)) {
            System.out.println("BAD read saw " + first + " then " + second);
        }
        System.out.println("R " + start + " " + end);
    }

    private static void work(Random random) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(3_000)));
    }
}
