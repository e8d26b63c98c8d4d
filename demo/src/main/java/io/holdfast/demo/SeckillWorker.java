package io.holdfast.demo;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One worker process of the demo: {@code threads} buyers that each keep buying until the stock
 * is gone, with a deliberately non-atomic read-modify-write (GET, think, SET). Prints
 * {@code sold=N acquisitions=M} and exits.
 *
 * <p>Arguments: {@code <redisUri> <stockKey> <lockName|-> <threads>}; {@code -} means no lock.
 */
public final class SeckillWorker {

    private SeckillWorker() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String stockKey = args[1];
        String lockName = args[2];
        int threads = Integer.parseInt(args[3]);
        RedisClient redis = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> conn = redis.connect();
                Holdfast holdfast = Holdfast.connect(uri)) {
            RedisCommands<String, String> commands = conn.sync();
            RLock lock = lockName.equals("-") ? null : holdfast.getLock(lockName);
            AtomicInteger sold = new AtomicInteger();
            AtomicInteger acquisitions = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> buyers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> buyUntilSoldOut(commands, stockKey, lock, start, sold, acquisitions));
                t.start();
                buyers.add(t);
            }
            System.out.println("ready");
            start.countDown();
            for (Thread t : buyers) {
                t.join();
            }
            System.out.println("sold=" + sold.get() + " acquisitions=" + acquisitions.get());
        } finally {
            redis.shutdown();
        }
    }

    private static void buyUntilSoldOut(RedisCommands<String, String> redis, String stockKey, RLock lock,
            CountDownLatch start, AtomicInteger sold, AtomicInteger acquisitions) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        boolean more = true;
        while (more) {
            if (lock != null) {
                lock.lock();
                acquisitions.incrementAndGet();
            }
            try {
                more = buyOne(redis, stockKey, sold);
            } finally {
                if (lock != null) {
                    lock.unlock();
                }
            }
        }
    }

    /** The racy part: read the stock, take a moment, write it back one lower. */
    private static boolean buyOne(RedisCommands<String, String> redis, String stockKey, AtomicInteger sold) {
        int stock = Integer.parseInt(redis.get(stockKey));
        if (stock <= 0) {
            return false;
        }
        LockSupport.parkNanos(1_000_000); // checking the order, charging the card...
        redis.set(stockKey, Integer.toString(stock - 1));
        sold.incrementAndGet();
        return true;
    }
}
