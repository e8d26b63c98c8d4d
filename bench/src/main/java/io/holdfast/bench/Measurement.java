package io.holdfast.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The numbers one round of one scenario produced for one library: named values and latencies. */
final class Measurement {

    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, Histogram> latencies = new LinkedHashMap<>();
    private String commandMix = "";

    /** Sets metric {@code name}. */
    Measurement put(String name, double value) {
        values.put(name, value);
        return this;
    }

    /** Keeps {@code h} (nanoseconds) for the chart and puts its p50, p99 and p99.9 in ms. */
    Measurement latency(String name, Histogram h) {
        latencies.put(name, h);
        put(name + " p50 ms", h.getValueAtPercentile(50) / 1e6);
        put(name + " p99 ms", h.getValueAtPercentile(99) / 1e6);
        put(name + " p99.9 ms", h.getValueAtPercentile(99.9) / 1e6);
        return this;
    }

    /** Adds what Redis did for {@code ops} operations: all commands and CPU per operation. */
    Measurement redisWork(RedisWork work, long ops) {
        double n = Math.max(1, ops);
        put("Redis commands/op (all)", work.totalCommands() / n);
        put("Redis CPU µs/op", work.cpuSeconds() * 1e6 / n);
        commandMix = work.perOperation(ops);
        return this;
    }

    /** Which commands Redis ran per operation, most first (e.g. {@code evalsha 2.00, hset 1.00}). */
    String commandMix() {
        return commandMix;
    }

    Map<String, Double> values() {
        return values;
    }

    Map<String, Histogram> latencies() {
        return latencies;
    }
}
