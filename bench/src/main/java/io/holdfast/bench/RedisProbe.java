package io.holdfast.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

/** The bench's own connection to the Redis under test, for INFO snapshots and housekeeping. */
final class RedisProbe implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String uri;

    RedisProbe(String uri) {
        this.uri = uri;
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
    }

    String uri() {
        return uri;
    }

    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Calls per command and CPU time so far. */
    RedisWork snapshot() {
        RedisCommands<String, String> redis = connection.sync();
        return RedisWork.parse(redis.info("commandstats"), redis.info("cpu"));
    }

    /** The server's version, e.g. {@code 7.0.15}. */
    String serverVersion() {
        for (String line : connection.sync().info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length()).trim();
            }
        }
        return "?";
    }

    /**
     * What the locks left on the server, the bench's counter and Holdfast's client records left out
     * (a client's own record, {@code holdfast:client:ID}, expires 3 minutes after its client stops).
     *
     * @param permanent keys without a TTL, Holdfast's fencing-token keys left out: a leak per name
     * @param expiring keys that expire by themselves (e.g. Redisson's {@code redisson_unlock_latch:*})
     * @param slotTokens Holdfast's fencing-token keys, one per Cluster slot that ever held a lock
     *     ({@code holdfast:{tag}:token}, at most 16,384 by design)
     */
    record KeysLeft(long permanent, long expiring, long slotTokens) {
    }

    private static final java.util.regex.Pattern SLOT_TOKEN = java.util.regex.Pattern.compile("holdfast:\\{[0-9a-z]+}:token");

    /** Scans every key; prints a few of the permanent and expiring ones to stderr. */
    KeysLeft keysLeft() {
        java.util.List<String> sample = new java.util.ArrayList<>();
        long permanent = 0;
        long expiring = 0;
        long tokens = 0;
        io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
        do {
            io.lettuce.core.KeyScanCursor<String> page = connection.sync().scan(cursor, io.lettuce.core.ScanArgs.Builder.limit(1_000));
            for (String k : page.getKeys()) {
                if (k.startsWith("holdfast:client:") || k.equals(Clients.COUNTER_KEY)) {
                    continue;
                }
                if (SLOT_TOKEN.matcher(k).matches()) {
                    tokens++;
                    continue;
                }
                long pttl = connection.sync().pttl(k);
                if (pttl == -1) {
                    permanent++;
                } else {
                    expiring++;
                }
                if (sample.size() < 3) {
                    sample.add(k + " (pttl " + pttl + ")");
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        if (!sample.isEmpty()) {
            System.err.println("[bench] keys left: " + permanent + " without TTL, " + expiring + " expiring, e.g. " + sample);
        }
        return new KeysLeft(permanent, expiring, tokens);
    }

    /** Pub/sub channels with at least one subscriber ({@code PUBSUB CHANNELS}). */
    long channels() {
        return connection.sync().pubsubChannels().size();
    }

    /**
     * Sharded pub/sub channels with at least one subscriber ({@code PUBSUB SHARDCHANNELS}); 0 on a
     * server older than Redis 7, which has none.
     */
    long shardChannels() {
        try {
            return connection.sync().pubsubShardChannels().size();
        } catch (io.lettuce.core.RedisCommandExecutionException olderThan7) {
            return 0;
        }
    }

    /** Deletes every key (between runs, so no run sees another's leftovers). */
    void flush() {
        connection.sync().flushall();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
