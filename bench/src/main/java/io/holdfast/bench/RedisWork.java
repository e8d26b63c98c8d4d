package io.holdfast.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What Redis did between two {@link RedisProbe} snapshots: calls per command from
 * {@code INFO commandstats} and CPU seconds (user + system) from {@code INFO cpu}.
 * The probe's own {@code INFO} calls and the bench's housekeeping are left out.
 */
record RedisWork(Map<String, Long> calls, double cpuSeconds) {

    private static final Set<String> HOUSEKEEPING = Set.of("info", "monitor", "ping", "echo",
            "script|load", "config|get", "client|setname", "client|setinfo", "hello", "select", "flushall");

    /** Whether {@code command} is the bench's own bookkeeping, not work of a lock. */
    static boolean isHousekeeping(String command) {
        return HOUSEKEEPING.contains(command) || command.startsWith("client") || command.startsWith("config");
    }

    /** Parses the two INFO sections. */
    static RedisWork parse(String commandstats, String cpu) {
        Map<String, Long> calls = new HashMap<>();
        for (String line : commandstats.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue; // cmdstat_evalsha:calls=12,usec=34,...
            }
            int colon = line.indexOf(':');
            int from = line.indexOf("calls=", colon) + "calls=".length();
            int to = line.indexOf(',', from);
            calls.put(line.substring("cmdstat_".length(), colon), Long.parseLong(line.substring(from, to)));
        }
        return new RedisWork(calls, field(cpu, "used_cpu_sys") + field(cpu, "used_cpu_user"));
    }

    private static double field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no " + name + " in INFO cpu");
    }

    /** this − earlier, per command; commands not called in between are left out. */
    RedisWork minus(RedisWork earlier) {
        Map<String, Long> d = new HashMap<>();
        calls.forEach((cmd, n) -> {
            long diff = n - earlier.calls.getOrDefault(cmd, 0L);
            if (diff > 0 && !isHousekeeping(cmd)) {
                d.put(cmd, diff);
            }
        });
        return new RedisWork(d, cpuSeconds - earlier.cpuSeconds);
    }

    /** Every command Redis ran, the ones sent by clients and the ones run inside scripts. */
    long totalCommands() {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Calls per operation by command, most first: {@code "evalsha 2.00, time 1.00, ..."}. */
    String perOperation(long ops) {
        double n = Math.max(1, ops);
        return calls.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + Target.fmt(e.getValue() / n))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** {@code EVALSHA} + {@code EVAL} calls: the script round trips. */
    long scriptCalls() {
        return calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L);
    }
}
