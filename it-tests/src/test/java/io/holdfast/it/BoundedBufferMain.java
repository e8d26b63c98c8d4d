package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.locks.Condition;

/**
 * Child-JVM program: producers or consumers of a bounded buffer kept in Redis (the list
 * {@code <name>:items}, at most {@code capacity} long), guarded by one reentrant lock and its two
 * named conditions, {@code notFull} and {@code notEmpty} (the textbook {@link Condition} example,
 * across processes). Arguments: redis URI, lock name, {@code producer} or {@code consumer}, this
 * process's number, threads, items per producer thread, total items (all producers), capacity.
 *
 * <p>Starts as {@link WorkerChildren} says. A producer thread puts its items
 * {@code <process>-<thread>-<k>} and prints {@code P <item>} for each; a consumer thread takes
 * items and prints {@code C <item>} until the counter {@code <name>:taken} reaches the total, and
 * the consumer that takes the last one wakes the others with {@code signalAll()}. Before each
 * {@code await} a thread prints {@code W <condition>}.
 */
public final class BoundedBufferMain {

    private BoundedBufferMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String name = args[1];
        boolean producer = args[2].equals("producer");
        String process = args[3];
        int threads = Integer.parseInt(args[4]);
        int perThread = Integer.parseInt(args[5]);
        long total = Long.parseLong(args[6]);
        int capacity = Integer.parseInt(args[7]);
        Holdfast holdfast = WorkerChildren.client(uri);
        RedisClient plain = RedisClient.create(uri);
        if (!WorkerChildren.awaitGo()) {
            return;
        }
        WorkerChildren.runThreads(threads, t -> {
            RedisCommands<String, String> redis = plain.connect().sync();
            RLock lock = holdfast.getLock(name);
            return producer
                    ? () -> produce(lock, redis, name, process + "-" + t, perThread, capacity)
                    : () -> consume(lock, redis, name, total);
        });
        holdfast.close();
        plain.shutdown();
    }

    private static void produce(RLock lock, RedisCommands<String, String> redis, String name, String me, int items,
            int capacity) {
        Condition notFull = lock.newCondition("notFull");
        Condition notEmpty = lock.newCondition("notEmpty");
        for (int k = 0; k < items; k++) {
            String item = me + "-" + k;
            lock.lock();
            try {
                while (redis.llen(name + ":items") >= capacity) {
                    System.out.println("W notFull");
                    notFull.awaitUninterruptibly();
                }
                redis.rpush(name + ":items", item);
                notEmpty.signal();
            } finally {
                lock.unlock();
            }
            System.out.println("P " + item);
        }
    }

    private static void consume(RLock lock, RedisCommands<String, String> redis, String name, long total) {
        Condition notFull = lock.newCondition("notFull");
        Condition notEmpty = lock.newCondition("notEmpty");
        while (true) {
            String item;
            lock.lock();
            try {
                while (redis.llen(name + ":items") == 0 && taken(redis, name) < total) {
                    System.out.println("W notEmpty");
                    notEmpty.awaitUninterruptibly();
                }
                if (taken(redis, name) >= total) {
                    return;
                }
                item = redis.lpop(name + ":items");
                if (redis.incr(name + ":taken") == total) {
                    notEmpty.signalAll(); // the other consumers wait for items that will never come
                }
                notFull.signal();
            } finally {
                lock.unlock();
            }
            System.out.println("C " + item);
        }
    }

    private static long taken(RedisCommands<String, String> redis, String name) {
        String v = redis.get(name + ":taken");
        return v == null ? 0 : Long.parseLong(v);
    }
}
