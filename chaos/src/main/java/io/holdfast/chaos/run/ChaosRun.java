package io.holdfast.chaos.run;

import io.holdfast.chaos.history.CheckResult;
import io.holdfast.chaos.history.Event;
import io.holdfast.chaos.history.FaultWindow;
import io.holdfast.chaos.history.History;
import io.holdfast.chaos.history.HistoryChecker;
import io.holdfast.chaos.proxy.FaultProxy;
import io.holdfast.testkit.RedisClusterGroup;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One chaos run: a throwaway {@code redis-server} (in quorum mode {@link ChaosConfig#quorum()}
 * independent ones; in Cluster mode a {@link RedisClusterGroup} of 3 masters and 3 replicas),
 * {@link ChaosConfig#processes()} worker JVMs each behind its own {@link FaultProxy} (one per
 * server or cluster node), the {@link FaultScheduler} until the time is up; then the
 * workers finish, the run waits for every lease to run out, looks for keys left under the run's
 * prefix, merges the histories and checks them. Prints a progress line every ~10 s.
 */
public final class ChaosRun {

    private ChaosRun() {
    }

    /** Runs {@code config} and returns the outcome (the report is not written here). */
    public static RunOutcome run(ChaosConfig config) {
        Path dir = tempDir();
        String prefix = "chaos:" + config.seed() + ":" + Long.toHexString(System.nanoTime()) + ":";
        long began = System.nanoTime();
        long deadline = began + TimeUnit.SECONDS.toNanos(config.seconds());
        List<WorkerSlot> slots = new ArrayList<>();
        List<RedisServer> servers = new ArrayList<>();
        RedisClusterGroup cluster = null;
        try {
            if (config.cluster()) {
                cluster = RedisClusterGroup.start();
                servers.addAll(cluster.servers());
            } else {
                for (int m = 0; m < Math.max(1, config.quorum()); m++) {
                    servers.add(RedisServer.builder().arg("--enable-debug-command", "yes").start());
                }
            }
            List<Integer> nodePorts = config.cluster() ? servers.stream().map(RedisServer::port).toList() : List.of();
            for (int i = 0; i < config.processes(); i++) {
                List<FaultProxy> proxies = new ArrayList<>();
                for (RedisServer server : servers) {
                    proxies.add(FaultProxy.start(server.host(), server.port()));
                }
                WorkerSlot slot = new WorkerSlot(i, proxies, dir, config, prefix, deadline, nodePorts);
                slots.add(slot);
                slot.start();
            }
            FaultScheduler faults = new FaultScheduler(config.seed(), config.faults(), slots, servers,
                    config.majorityFaults(), cluster, ChaosWorker.clusterNames(config.names()));
            long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (deadline - System.nanoTime() > 0) {
                faults.next(deadline);
                if (System.nanoTime() - nextProgress > 0) {
                    System.out.printf("[%4d s] acquisitions %d, faults %d, unexpected exceptions %d%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began),
                            slots.stream().mapToLong(WorkerSlot::holds).sum(), faults.total(),
                            slots.stream().mapToLong(WorkerSlot::unexpected).sum());
                    nextProgress += TimeUnit.SECONDS.toNanos(10);
                }
            }
            long workloadEnd = System.nanoTime();
            slots.forEach(s -> s.awaitDone(Duration.ofSeconds(90)));
            long finishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - workloadEnd);
            List<String> stragglers = slots.stream().flatMap(s -> s.stragglers().stream()).toList();
            List<String> left = leakedKeys(cluster != null ? cluster.masters() : servers, prefix);
            List<String> tolerated = left.stream().filter(ChaosRun::tolerated).toList();
            List<String> leaked = left.stream().filter(k -> !tolerated(k)).toList();
            History history = new History();
            List<Path> files = slots.stream().flatMap(s -> s.files().stream()).filter(Files::exists).toList();
            files.forEach(history::addFile);
            faults.windows().forEach(w -> history.add(new Event.FaultEvent(w)));
            CheckResult result = HistoryChecker.check(history);
            Path raw = null;
            if (result.hasFindings() || !leaked.isEmpty()) {
                raw = keepRaw(config, files, faults.windows());
            }
            return new RunOutcome(config, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began), result,
                    faults.counts(), leaked, tolerated, raw, finishMillis, stragglers,
                    slots.stream().flatMap(s -> s.unexpectedTraces(60).stream()).limit(120).toList());
        } finally {
            slots.forEach(WorkerSlot::close);
            if (cluster != null) {
                cluster.close();
            } else {
                servers.forEach(RedisServer::close);
            }
        }
    }

    /**
     * Keys left under {@code prefix} on every server once every lease the workers could hold has run
     * out (polled for up to 15 s until only tolerated keys are left: a lease lasts its length, a queue's keys 3 waiter timeouts, 6 s here, past
     * its last live waiter's last attempt or renewal).
     */
    private static List<String> leakedKeys(List<RedisServer> servers, String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            // until nothing but tolerated keys is left (those never go: waiting for them cost 15 s per server)
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                keys.clear();
                for (int m = 0; m < servers.size(); m++) {
                    String label = servers.size() > 1 ? "master " + m + ": " : "";
                    scan(servers.get(m), prefix).forEach(k -> keys.add(label + k));
                }
                return keys.stream().allMatch(ChaosRun::tolerated);
            });
        } catch (ConditionTimeoutException e) {
            // reported as leaked
        }
        return List.copyOf(keys);
    }

    /**
     * Keys allowed to outlive the run's holds, a bounded set: one {@code {name}:turn} hash per
     * read-write lock (the writer's turn, kept with its own TTL of tens of seconds), one fencing-token
     * key per Cluster slot that held a lock (no TTL; at most 16,384, never one per name), and one
     * client record per worker client ({@code client:<client id>}, a hash that expires three
     * minutes after its client stops; see {@code Holdfast.connectionName()}).
     */
    static boolean tolerated(String keyDescription) {
        return keyDescription.matches(".*\\}:turn \\(hash, pttl \\d+\\)")
                || keyDescription.matches(".*:client:[0-9a-f-]{36} \\(hash, pttl \\d+\\)")
                || keyDescription.matches(".*\\{[0-9a-z]+}:token \\(string, pttl -1\\)");
    }

    private static List<String> scan(RedisServer server, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = server.commands().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            for (String key : page.getKeys()) {
                long ttl = server.commands().pttl(key);
                keys.add(key + " (" + server.commands().type(key) + ", pttl " + ttl + ")");
            }
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private static Path keepRaw(ChaosConfig config, List<Path> files, List<FaultWindow> windows) {
        Path raw = config.out().resolveSibling("chaos-history-seed-" + config.seed() + ".txt");
        try {
            Files.createDirectories(raw.toAbsolutePath().getParent());
            List<String> lines = new ArrayList<>();
            windows.forEach(w -> lines.add(w.line()));
            for (Path f : files) {
                lines.addAll(Files.readAllLines(f));
            }
            Files.write(raw, lines);
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("holdfast-chaos-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
