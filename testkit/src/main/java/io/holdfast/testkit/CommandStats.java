package io.holdfast.testkit;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.Map;

/** Calls per command from {@code INFO commandstats}, to count what an operation cost. */
public final class CommandStats {

    private CommandStats() {
    }

    /** Command name (lower case, e.g. "evalsha") → calls since the server started. */
    public static Map<String, Long> read(RedisCommands<String, String> redis) {
        Map<String, Long> calls = new HashMap<>();
        for (String line : redis.info("commandstats").split("\r?\n")) {
            // cmdstat_evalsha:calls=12,usec=...,...
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String rest = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(name, Long.parseLong(rest.substring(0, rest.indexOf(','))));
            }
        }
        return calls;
    }

    /**
     * Whether the server counts subcommands apart ({@code client|setname}, {@code client|list}), as
     * Redis 7 does; Redis 6.2 counts them all under the command ({@code client}).
     */
    public static boolean countsSubcommands(RedisCommands<String, String> redis) {
        return !redis.info("server").contains("redis_version:6.");
    }

    /**
     * {@code names} as the server counts them: on a server that does not count subcommands apart, each
     * {@code command|subcommand} becomes {@code command}, so a check against the set can no longer
     * tell one subcommand from another.
     */
    public static java.util.Set<String> asCounted(RedisCommands<String, String> redis, java.util.Set<String> names) {
        if (countsSubcommands(redis)) {
            return names;
        }
        java.util.Set<String> whole = new java.util.HashSet<>();
        names.forEach(n -> whole.add(n.contains("|") ? n.substring(0, n.indexOf('|')) : n));
        return whole;
    }

    /** after − before, per command, leaving out commands that were not called in between. */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new HashMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n > 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
