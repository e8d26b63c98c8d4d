package io.holdfast.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A churn of distinct lock names: one client takes and releases N different names, each once
 * (async, 1,000 in flight; 1,000,000 names in the full run). Client memory must stay bounded (a
 * client that kept a lock object, a subscription or a watchdog entry per name would grow with N),
 * and nothing may stay on the server: no key without a TTL, no channel with a subscriber.
 */
final class ChurnNamesScenario implements ScalingScenario {

    static final String RATE = "names taken and released per second";
    static final String HEAP = "client heap retained (MB, after GC)";
    static final String PER_NAME = "heap retained per further name (bytes, from a tenth of the largest size to it)";
    static final String KEYS_LEFT = "keys left without TTL";
    static final String CHANNELS_LEFT = "channels still subscribed after the churn";

    @Override
    public String id() {
        return "scale-churn";
    }

    @Override
    public String description() {
        return "One client takes and releases N distinct lock names, each once (async, 1,000 in flight, default "
                + "lease); at each size on the x axis the bench measures the client's used heap after `System.gc()` "
                + "(minus the heap right after connecting and a warm-up of 1,000 names). Bounded memory = the heap "
                + "per further name from a tenth of the largest size to the largest stays near 0 (Holdfast keeps up "
                + "to `lockCacheSize` lock objects, 10,000 by default, so below that size its heap grows by design). After the churn: "
                + "channels with a subscriber (`PUBSUB CHANNELS`, `PUBSUB SHARDCHANNELS`) while the client is still "
                + "open, and keys without a TTL once it is closed.";
    }

    @Override
    public List<Integer> sizes(Settings settings) {
        int n = settings.quick() ? 10_000 : 1_000_000;
        return List.of(n / 100, n / 10, n);
    }

    @Override
    public String sizeLabel() {
        return "distinct names taken and released";
    }

    @Override
    public List<String> curves() {
        return List.of(HEAP, RATE);
    }

    @Override
    public int rounds(Settings settings) {
        return 1; // a million names per library: one round is minutes already
    }

    @Override
    public Measurement run(Library library, Bench bench) throws Exception {
        Measurement m = new Measurement();
        List<Integer> sizes = sizes(bench.settings());
        long channels;
        double perName;
        try (LockClient client = library.connect(bench.uri(), DEFAULT_LEASE)) {
            churn(client, "bench:churn-warmup:", 0, 1_000);
            long base = usedHeap();
            int done = 0;
            double[] heapAt = new double[sizes.size()];
            for (int k = 0; k < sizes.size(); k++) {
                int n = sizes.get(k);
                long t0 = System.nanoTime();
                churn(client, "bench:churn:", done, n);
                m.put(ScalingScenario.at(RATE, n), (n - done) / ((System.nanoTime() - t0) / 1e9));
                done = n;
                heapAt[k] = usedHeap() - base;
                m.put(ScalingScenario.at(HEAP, n), heapAt[k] / 1e6);
            }
            int last = sizes.size() - 1;
            perName = (heapAt[last] - heapAt[last - 1]) / (sizes.get(last) - sizes.get(last - 1));
            channels = bench.probe().channels() + bench.probe().shardChannels();
        }
        RedisProbe.KeysLeft keys = bench.probe().keysLeft();
        bench.probe().flush();
        return m.put(PER_NAME, perName).put(CHANNELS_LEFT, channels).put(KEYS_LEFT, keys.permanent());
    }

    /** Takes and releases names {@code prefix + i} for {@code from <= i < to}, each once. */
    private static void churn(LockClient client, String prefix, int from, int to) throws Exception {
        WatchdogScenario.all(to - from, i -> client.lockAsync(prefix + (from + i), 1)
                .thenCompose(held -> client.unlockAsync(prefix + (from + i), 1)), false);
    }

    /** Used heap after two full collections. */
    private static long usedHeap() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Override
    public List<Target> targets() {
        return List.of(
                Target.atMost("client memory bounded: <= 16 bytes retained per further name", PER_NAME, 16),
                Target.atMost("no channel left subscribed", CHANNELS_LEFT, 0),
                Target.atMost("no key without TTL left on the server", KEYS_LEFT, 0));
    }
}
