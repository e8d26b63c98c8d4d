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
 * {@code queue.lua}: a hash holder → count, {@code :queue}, {@code :waiters}, {@code :deadlines}) and
 * the read-write lock's (the readwrite module's {@code lib.lua}: a hash with {@code mode},
 * {@code writer}, {@code r:<id>}, {@code w:<id>}, and {@code :leases}, {@code :intents}). A change of
 * either layout must change this reader too: {@code LockInspectorTest} reads real locks of every kind.
 */
public final class LockReader {

    /** At most this many waiters are listed per lock. */
    static final int MAX_WAITERS = 100;

    private final RedisCommands<String, String> redis;
    private final String prefix;

    public LockReader(RedisCommands<String, String> redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    /**
     * The state of the lock with {@code keys}, or empty if the server has nothing of it.
     *
     * @param withConditions also find its conditions' waiters (a {@code SCAN} of the key space)
     */
    public Optional<LockState> read(LockKeys keys, boolean withConditions) {
        long now = serverMillis();
        String type = redis.type(keys.key());
        Map<String, String> hash = type.equals("hash") ? redis.hgetall(keys.key()) : Map.of();
        long pttl = redis.pttl(keys.key());
        String token = redis.get(keys.tokenKey());
        long lastToken = token == null ? 0 : Long.parseLong(token);
        Processes processes = new Processes();
        if (hash.containsKey("mode")) {
            return Optional.of(readWrite(keys, hash, pttl, lastToken, now, processes));
        }
        List<ConditionWaiters> conditions = withConditions ? conditions(keys, now, processes) : List.of();
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
    private List<ConditionWaiters> conditions(LockKeys keys, long now, Processes processes) {
        String queues = keys.derived(LockKeys.CONDITION);
        String deadlines = keys.derived(LockKeys.CONDITION_DEADLINES);
        List<ConditionWaiters> out = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(globEscape(queues) + "*").limit(500));
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
        String deadlines = keys.key() + ":deadlines";
        List<Waiter> out = new ArrayList<>();
        if (!redis.type(queue).equals("zset")) {
            return out;
        }
        int position = 0;
        for (String holder : redis.zrange(queue, 0, MAX_WAITERS - 1)) {
            position++;
            Double deadline = redis.zscore(deadlines, holder);
            boolean entry = redis.hexists(waiters, holder);
            long left = deadline == null || !entry ? 0 : deadline.longValue() - now;
            out.add(new Waiter(position, holder, left, processes.of(holder)));
        }
        return out;
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
     * {@code KEYS}): keys a lock name would derive with a reserved suffix are left out.
     */
    public List<String> lockNames(String match, List<LockKeys.KeySuffix> reserved, int limit) {
        Set<String> names = new LinkedHashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(match).limit(500));
            for (String key : page.getKeys()) {
                nameOf(key, reserved).ifPresent(names::add);
                if (names.size() >= limit) {
                    return List.copyOf(names);
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
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

    private long serverMillis() {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The processes behind client ids, each looked up once per read. */
    private final class Processes {
        private final Map<String, ClientProcess> known = new HashMap<>();
        private List<String> clientList;

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
                    clientList = redis.clientList().lines().toList();
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
