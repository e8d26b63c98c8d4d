package io.holdfast.internal;

import io.holdfast.LockState;
import io.holdfast.LockState.ClientProcess;
import io.holdfast.LockState.ConditionWaiters;
import io.holdfast.LockState.Holder;
import io.holdfast.LockState.Waiter;
import io.holdfast.spi.LockKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one lock's state with plain read commands, for {@link io.holdfast.LockInspector}. It knows
 * the two layouts on the server: the queued exclusive locks' (the reentrant module's
 * {@code queue.lua}: a hash holder → count, {@code :queue}, {@code :waiters}) and
 * the read-write lock's (the readwrite module's {@code lib.lua}: a hash with {@code mode},
 * {@code writer}, {@code r:<id>}, {@code w:<id>}, and {@code :leases}, {@code :intents}). A change of
 * either layout must change this reader too: {@code LockInspectorTest} reads real locks of every kind.
 *
 * <p>Where it reads ({@link Servers}): on one server (standalone, or the master found through
 * Sentinels) everything goes to it. On a Redis Cluster a lock's keys are read through the cluster
 * connection, which routes each command by its key's slot; what is not a key's (the server's
 * {@code TIME}, {@code CLIENT LIST}, the {@code SCAN} for a lock's conditions) goes to the master of
 * the lock's slot, and a {@code SCAN} for lock names visits every master in turn.
 */
public final class LockReader {

    /** At most this many waiters are listed per lock. */
    static final int MAX_WAITERS = 100;

    private final Servers servers;
    private final RedisClusterCommands<String, String> redis;
    private final String prefix;

    public LockReader(Servers servers, String prefix) {
        this.servers = servers;
        this.redis = servers.keyed();
        this.prefix = prefix;
    }

    /** The servers a reader reads from: one, or the masters of a Cluster. */
    public interface Servers {

        /** Commands routed by their key: to the one server, or to the master of the key's slot. */
        RedisClusterCommands<String, String> keyed();

        /** The server that holds {@code key}, for commands that are not a key's ({@code TIME}, {@code SCAN}). */
        RedisClusterCommands<String, String> holding(String key);

        /** Every server that holds keys (every master of a Cluster), each to {@code SCAN}. */
        List<RedisClusterCommands<String, String>> all();

        /** One server: standalone, or the master found through Sentinels. */
        static Servers one(RedisCommands<String, String> redis) {
            return new Servers() {
                @Override
                public RedisClusterCommands<String, String> keyed() {
                    return redis;
                }

                @Override
                public RedisClusterCommands<String, String> holding(String key) {
                    return redis;
                }

                @Override
                public List<RedisClusterCommands<String, String>> all() {
                    return List.of(redis);
                }
            };
        }

        /**
         * The masters of a Cluster, by Lettuce's current view of it (the connection follows
         * {@code MOVED} and its topology refreshes): each master read on the connection Lettuce
         * keeps to it.
         */
        static Servers cluster(StatefulRedisClusterConnection<String, String> connection) {
            return new Servers() {
                @Override
                public RedisClusterCommands<String, String> keyed() {
                    return connection.sync();
                }

                @Override
                public RedisClusterCommands<String, String> holding(String key) {
                    RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
                    if (owner == null) {
                        throw new io.lettuce.core.RedisException("no master known for the slot of " + key);
                    }
                    return connection.getConnection(owner.getNodeId()).sync();
                }

                @Override
                public List<RedisClusterCommands<String, String>> all() {
                    List<RedisClusterCommands<String, String>> masters = new ArrayList<>();
                    for (RedisClusterNode node : connection.getPartitions()) {
                        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
                            masters.add(connection.getConnection(node.getNodeId()).sync());
                        }
                    }
                    return masters;
                }
            };
        }
    }

    /**
     * The state of the lock with {@code keys}, or empty if the server has nothing of it.
     *
     * @param withConditions also find its conditions' waiters (a {@code SCAN} of the key space)
     */
    public Optional<LockState> read(LockKeys keys, boolean withConditions) {
        RedisClusterCommands<String, String> node = servers.holding(keys.key());
        long now = serverMillis(node);
        String type = redis.type(keys.key());
        Map<String, String> hash = type.equals("hash") ? redis.hgetall(keys.key()) : Map.of();
        long pttl = redis.pttl(keys.key());
        String token = redis.get(keys.tokenKey());
        long lastToken = token == null ? 0 : Long.parseLong(token);
        Processes processes = new Processes(node);
        if (hash.containsKey("mode")) {
            return Optional.of(readWrite(keys, hash, pttl, lastToken, now, processes));
        }
        List<ConditionWaiters> conditions = withConditions ? conditions(node, keys, now, processes) : List.of();
        List<Holder> holders = new ArrayList<>();
        hash.forEach((holder, count) -> holders.add(new Holder(holder, "exclusive", parseInt(count), pttl,
                processes.of(holder))));
        List<Waiter> waiters = queued(keys, now, processes);
        if (holders.isEmpty() && waiters.isEmpty() && conditions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LockState(keys.name(), keys.key(), holders.isEmpty() ? "free" : "exclusive",
                holders.isEmpty() ? "free" : "held", pttl, lastToken, holders, waiters, List.of(), conditions, now));
    }

    /** The conditions of the lock that have waiters: their queue keys, found with {@code SCAN}. */
    private List<ConditionWaiters> conditions(RedisClusterCommands<String, String> node, LockKeys keys, long now,
            Processes processes) {
        String queues = keys.derived(LockKeys.CONDITION);
        String deadlines = keys.derived(LockKeys.CONDITION_DEADLINES);
        List<ConditionWaiters> out = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = node.scan(cursor, ScanArgs.Builder.matches(globEscape(queues) + "*").limit(500));
            for (String queue : page.getKeys()) {
                String name = queue.substring(queues.length());
                List<Waiter> waiters = new ArrayList<>();
                int position = 0;
                for (String id : redis.zrange(queue, 0, MAX_WAITERS - 1)) {
                    Double deadline = redis.zscore(deadlines + name, id);
                    waiters.add(new Waiter(++position, id, deadline == null ? 0 : deadline.longValue() - now,
                            processes.of(id)));
                }
                if (!waiters.isEmpty()) {
                    out.add(new ConditionWaiters(name, waiters));
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        out.sort(java.util.Comparator.comparing(ConditionWaiters::name));
        return out;
    }

    /** {@code s} as a literal in a Redis glob. */
    private static String globEscape(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private List<Waiter> queued(LockKeys keys, long now, Processes processes) {
        String queue = keys.key() + ":queue";
        String waiters = keys.key() + ":waiters";
        List<Waiter> out = new ArrayList<>();
        if (!redis.type(queue).equals("zset")) {
            return out;
        }
        int position = 0;
        for (String holder : redis.zrange(queue, 0, MAX_WAITERS - 1)) {
            position++;
            long deadline = deadlineOf(redis.hget(waiters, holder));
            out.add(new Waiter(position, holder, deadline == 0 ? 0 : deadline - now, processes.of(holder)));
        }
        return out;
    }

    /**
     * The deadline (server ms) of a queued lock's waiter entry {@code "<deadline>|<identity>"}
     * (see {@code queue.lua}); 0 for a missing or unreadable entry.
     */
    static long deadlineOf(String entry) {
        int bar = entry == null ? -1 : entry.indexOf('|');
        if (bar <= 0) {
            return 0;
        }
        try {
            return Long.parseLong(entry.substring(0, bar));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private LockState readWrite(LockKeys keys, Map<String, String> hash, long pttl, long lastToken, long now,
            Processes processes) {
        Map<String, Double> leases = new HashMap<>();
        for (ScoredValue<String> v : redis.zrangeWithScores(keys.key() + ":leases", 0, -1)) {
            leases.put(v.getValue(), v.getScore());
        }
        List<Holder> holders = new ArrayList<>();
        hash.forEach((field, count) -> {
            if (field.startsWith("r:") || field.startsWith("w:")) {
                String holder = field.substring(2);
                Double deadline = leases.get(field);
                holders.add(new Holder(holder, field.startsWith("r:") ? "read" : "write", parseInt(count),
                        deadline == null ? -2 : deadline.longValue() - now, processes.of(holder)));
            }
        });
        List<Waiter> writers = new ArrayList<>();
        int position = 0;
        for (ScoredValue<String> v : redis.zrangeWithScores(keys.key() + ":intents", 0, MAX_WAITERS - 1)) {
            writers.add(new Waiter(++position, v.getValue(), (long) v.getScore() - now, processes.of(v.getValue())));
        }
        return new LockState(keys.name(), keys.key(), "read-write", hash.getOrDefault("mode", "?"), pttl, lastToken,
                holders, List.of(), writers, List.of(), now);
    }

    /**
     * Names of the locks whose main keys match {@code match}, found with {@code SCAN} (never
     * {@code KEYS}) of every server in turn: keys a lock name would derive with a reserved suffix
     * are left out.
     */
    public List<String> lockNames(String match, List<LockKeys.KeySuffix> reserved, int limit) {
        Set<String> names = new LinkedHashSet<>();
        for (RedisClusterCommands<String, String> server : servers.all()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = server.scan(cursor, ScanArgs.Builder.matches(match).limit(500));
                for (String key : page.getKeys()) {
                    nameOf(key, reserved).ifPresent(names::add);
                    if (names.size() >= limit) {
                        return List.copyOf(names);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        return List.copyOf(names);
    }

    /** The lock name whose main key is {@code key}, if it is one (not a queue, lease, condition... key). */
    private Optional<String> nameOf(String key, List<LockKeys.KeySuffix> reserved) {
        if (!key.startsWith(prefix)) {
            return Optional.empty();
        }
        String tagged = key.substring(prefix.length());
        try {
            if (!LockKeys.of(prefix, tagged, reserved).key().equals(key)) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException derived) {
            return Optional.empty();
        }
        if (!redis.type(key).equals("hash") && !redis.type(key + ":queue").equals("zset")) {
            return Optional.empty();
        }
        // "{a}" is how lock "a" is written: show the name without the braces it was given without
        String inner = tagged.substring(1, tagged.length() - 1);
        boolean plain = tagged.startsWith("{") && tagged.endsWith("}") && !inner.contains("{") && !inner.contains("}");
        return Optional.of(plain ? inner : tagged);
    }

    private static long serverMillis(RedisClusterCommands<String, String> node) {
        List<String> time = node.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The processes behind client ids, each looked up once per read; their connections counted on
     * the server that holds the lock.
     */
    private final class Processes {
        private final RedisClusterCommands<String, String> node;
        private final Map<String, ClientProcess> known = new HashMap<>();
        private List<String> clientList;

        Processes(RedisClusterCommands<String, String> node) {
            this.node = node;
        }

        ClientProcess of(String holderId) {
            int colon = holderId.indexOf(':'); // a client id (a UUID) has none
            String clientId = colon < 0 ? holderId : holderId.substring(0, colon);
            return known.computeIfAbsent(clientId, this::lookUp);
        }

        private ClientProcess lookUp(String clientId) {
            Map<String, String> record = redis.hgetall(ClientIdentity.recordKey(prefix, clientId));
            String name = record.getOrDefault("name", "holdfast:?:?:" + ClientIdentity.shortId(clientId));
            return new ClientProcess(clientId, record.getOrDefault("host", ""), parseLong(record.get("pid")),
                    parseLong(record.get("started")), record.getOrDefault("name", ""), connections(name));
        }

        private int connections(String name) {
            if (clientList == null) {
                try {
                    clientList = node.clientList().lines().toList();
                } catch (RuntimeException refused) {
                    clientList = List.of();
                    return -1;
                }
            }
            if (clientList.isEmpty()) {
                return -1;
            }
            // a record may be gone while the process still runs: match the short id then
            String suffix = ":" + name.substring(name.lastIndexOf(':') + 1);
            return (int) clientList.stream().filter(l -> {
                int at = l.indexOf(" name=");
                String n = at < 0 ? "" : l.substring(at + 6, l.indexOf(' ', at + 1) < 0 ? l.length() : l.indexOf(' ', at + 1));
                return n.startsWith("holdfast:") && n.endsWith(suffix);
            }).count();
        }

        private long parseLong(String s) {
            try {
                return s == null ? -1 : Long.parseLong(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
