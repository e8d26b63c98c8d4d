package io.holdfast.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How a run was made: command, date, versions, machine, so a reader can reproduce it.
 *
 * @param command the exact command line
 * @param redisVersion the server's {@code redis_version}
 * @param started when the run began
 * @param seconds how long it took
 * @param settings durations and sizes
 */
record RunInfo(String command, String redisVersion, Instant started, double seconds, Settings settings,
        String commit) {

    /** The commit of the working tree the run was made from, or "?" outside a git checkout. */
    static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            boolean dirty = new ProcessBuilder("git", "diff", "--quiet", "HEAD").start().waitFor() != 0;
            return git.waitFor() == 0 ? out + (dirty ? " + uncommitted changes" : "") : "?";
        } catch (java.io.IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    String markdown() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return "- command: `" + command + "`" + (settings.quick() ? " (**quick mode: numbers mean nothing**)" : "") + "\n"
                + "- date: " + started.truncatedTo(ChronoUnit.SECONDS) + ", took " + Math.round(seconds) + " s\n"
                + "- Redis " + redisVersion + ": one throwaway `redis-server` (testkit, `--save \"\" --appendonly no`)"
                + " on 127.0.0.1 shared by both libraries in the same run\n"
                + "- Holdfast " + Library.HOLDFAST.version() + " (git " + commit + "); Redisson " + Library.REDISSON.version()
                + "; " + Library.SPRING.version()
                + " (same registry key in every instance; its defaults, so no renewal task scheduler; expireAfter = the lease)"
                + "; floor on " + Library.FLOOR.version() + "\n"
                + "- JVM " + System.getProperty("java.vm.name") + " " + Runtime.version() + "; "
                + Runtime.getRuntime().availableProcessors() + " CPUs; load average at the end " + Target.fmt(load) + "\n"
                + "- rounds: " + settings.rounds() + " interleaved (Holdfast, Redisson[, floor], Holdfast, ...), "
                + settings.latencyRounds() + " for the single-thread latency scenarios (uncontended, reentrant, handoff);"
                + " each timed run " + settings.timed().toMillis() + " ms after a " + settings.warmup().toMillis()
                + " ms warm-up on the same clients\n"
                + "- \"N clients\" are N separate client instances (`Holdfast.connect` / `Redisson.create`, each with its own"
                + " connections and threads) in one JVM; the crash scenario uses a real child JVM\n"
                + "- Redis work: `Redis commands/op (all)` and `Redis CPU µs/op` are `INFO commandstats` / `INFO cpu` deltas"
                + " over the timed run; `client commands/op` (round trips) and `in-script commands/op` come from a separate "
                + settings.cost().toMillis() + " ms run under `MONITOR` (which tells `[0 lua]` from client commands)\n"
                + "- the libraries run with their defaults (Redisson: 64-connection pool, its default threads), except the"
                + " watchdog lease: 30 s, or " + settings.shortLease().toMillis() + " ms in watchdog/crash/churn\n";
    }
}
