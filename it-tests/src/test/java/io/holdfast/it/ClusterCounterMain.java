package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.List;

/**
 * Child-JVM program for cross-process exclusion on a Redis Cluster. Arguments: the
 * {@code redis-cluster://} URI, lock names separated by commas (spread over the masters), threads,
 * acquisitions per thread. Thread {@code t}'s {@code i}th acquisition takes lock
 * {@code (t + i) % locks}. Prints {@code ready}, waits for {@code go}, then per critical section
 * {@code I <startNanos> <endNanos> <lock index>} and {@code done} at the end.
 *
 * <p>The critical section increments the string {@code {<name>}:counter} (in the lock's slot, so on
 * the lock's master) non-atomically: GET, then SET.
 */
public final class ClusterCounterMain {

    private ClusterCounterMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        List<String> names = List.of(args[1].split(","));
        int threads = Integer.parseInt(args[2]);
        int ops = Integer.parseInt(args[3]);
        Holdfast holdfast = WorkerChildren.client(uri);
        RedisClusterClient plain = RedisClusterClient.create(
                RedisURI.create(uri.replace("redis-cluster://", "redis://").split(",")[0]));
        if (!WorkerChildren.awaitGo()) {
            return;
        }
        WorkerChildren.runThreads(threads, t -> {
            RedisAdvancedClusterCommands<String, String> redis = plain.connect().sync();
            return () -> {
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < ops; i++) {
                    int index = (t + i) % names.size();
                    String name = names.get(index);
                    RLock lock = holdfast.getLock(name);
                    lock.lock();
                    long start = System.nanoTime();
                    String counter = "{" + name + "}:counter";
                    String v = redis.get(counter);
                    redis.set(counter, Long.toString(v == null ? 1 : Long.parseLong(v) + 1));
                    long end = System.nanoTime();
                    lock.unlock();
                    out.setLength(0);
                    System.out.println(out.append("I ").append(start).append(' ').append(end).append(' ').append(index));
                }
            };
        });
        holdfast.close();
        plain.shutdown();
    }
}
