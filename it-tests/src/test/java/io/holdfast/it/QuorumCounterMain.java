package io.holdfast.it;

import io.holdfast.RLock;
import io.holdfast.quorum.QuorumHoldfast;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * Child-JVM program for the cross-process exclusion check of the quorum lock. Arguments: the
 * Redis URI the counter lives in, lock name, threads, acquisitions per thread, then the masters'
 * URIs. Prints what {@link CounterMain} prints: {@code ready}, then after {@code go} one line
 * {@code I <startNanos> <endNanos>} per critical section and {@code done}; each critical section
 * increments {@code <name>:counter} non-atomically (GET, then SET). A worker thread that fails
 * prints {@code E <exception>}.
 */
public final class QuorumCounterMain {

    private QuorumCounterMain() {
    }

    public static void main(String[] args) throws Exception {
        String counterUri = args[0];
        String name = args[1];
        int threads = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        String[] masters = java.util.Arrays.copyOfRange(args, 4, args.length);
        QuorumHoldfast quorum = QuorumHoldfast.builder(masters).watchdogLease(Duration.ofSeconds(5)).build();
        RedisClient plain = RedisClient.create(counterUri);
        if (!WorkerChildren.awaitGo()) {
            return;
        }
        WorkerChildren.runThreads(threads, t -> {
            StatefulRedisConnection<String, String> connection = plain.connect();
            return () -> {
                try {
                    increment(quorum.getQuorumLock(name), connection.sync(), name + ":counter", ops);
                } catch (RuntimeException e) {
                    System.out.println("E " + e); // the test fails on it, naming it
                }
            };
        });
        quorum.close();
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
