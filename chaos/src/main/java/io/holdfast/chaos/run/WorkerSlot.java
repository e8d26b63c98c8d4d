package io.holdfast.chaos.run;

import io.holdfast.chaos.proxy.FaultProxy;
import io.holdfast.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker process of the run and its own fault proxy (in quorum mode: one proxy per master). A
 * killed child is replaced by a new one (a new history file) behind the same proxies.
 */
final class WorkerSlot implements AutoCloseable {

    private final int index;
    private final List<FaultProxy> proxies;
    private final Path dir;
    private final ChaosConfig config;
    private final String prefix;
    private final long deadline;
    private final List<ChildJvm> dead = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    /** Cluster mode: the nodes' real ports, in the order of {@link #proxies}; empty otherwise. */
    private final List<Integer> nodePorts;
    private ChildJvm child;

    WorkerSlot(int index, List<FaultProxy> proxies, Path dir, ChaosConfig config, String prefix, long deadline) {
        this(index, proxies, dir, config, prefix, deadline, List.of());
    }

    /**
     * Cluster mode when {@code nodePorts} is not empty: the worker connects to the cluster at those
     * ports and its client maps each to the proxy of the same index.
     */
    WorkerSlot(int index, List<FaultProxy> proxies, Path dir, ChaosConfig config, String prefix, long deadline,
               List<Integer> nodePorts) {
        this.nodePorts = List.copyOf(nodePorts);
        this.index = index;
        this.proxies = List.copyOf(proxies);
        this.dir = dir;
        this.config = config;
        this.prefix = prefix;
        this.deadline = deadline;
    }

    /** The proxy to the (first) server. */
    FaultProxy proxy() {
        return proxies.get(0);
    }

    /** The proxies, one per server, in master order. */
    List<FaultProxy> proxies() {
        return proxies;
    }

    ChildJvm child() {
        return child;
    }

    List<Path> files() {
        return files;
    }

    /** Starts a (new) child for the rest of the run and waits until it is connected. */
    void start() {
        int generation = files.size();
        Path file = dir.resolve("history-" + index + "-" + generation + ".txt");
        files.add(file);
        long seconds = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
        String uris = String.join(",", proxies.stream().map(FaultProxy::uri).toList());
        String mapping = "-";
        if (!nodePorts.isEmpty()) {
            uris = "redis-cluster://" + String.join(",", nodePorts.stream().map(p -> "127.0.0.1:" + p).toList());
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < nodePorts.size(); i++) {
                pairs.add(nodePorts.get(i) + "=" + proxies.get(i).port());
            }
            mapping = String.join(";", pairs);
        }
        child = ChildJvm.builder(ChaosWorker.class).jvmArg("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .arg(uris, file.toString(), Long.toString(seconds), Integer.toString(config.threads()),
                        Long.toString(config.seed() * 7919 + index * 131 + generation), prefix, Integer.toString(config.names()),
                        mapping)
                .start();
        child.awaitLine("ready"::equals, Duration.ofSeconds(60));
    }

    /**
     * Resumes the child paused by a SIGSTOP fault. Returns what the fault log should add: nothing,
     * or, if the child is no longer alive (nothing in the run kills a paused child: the OOM killer,
     * or a child that was already exiting), that it died, with its exit code, so that a worker's
     * unexplained end is not silent.
     */
    String resumeChild() {
        child.resume();
        if (child.isAlive()) {
            return "";
        }
        return "; the worker had died by the resume (exit code " + child.waitForExit(Duration.ofSeconds(5)) + ")";
    }

    /** Kills the child with SIGKILL and starts a replacement. */
    void killAndReplace() {
        child.kill9();
        dead.add(child);
        if (deadline - System.nanoTime() > 3_000_000_000L) {
            start();
        }
    }

    /** Holds so far: the last progress count of each child, dead ones included. */
    long holds() {
        long sum = 0;
        for (ChildJvm c : all()) {
            sum += c.lines().stream().filter(l -> l.startsWith("P ")).reduce((a, b) -> b)
                    .map(l -> Long.parseLong(l.substring(2))).orElse(0L);
        }
        return sum;
    }

    /** Unexpected exceptions the children reported so far. */
    long unexpected() {
        return all().stream().mapToLong(c -> c.lines().stream().filter(l -> l.startsWith("E ")).count()).sum();
    }

    /** Straggler lines ({@code S ...}: a worker thread's stack, long after the end) of every child. */
    List<String> stragglers() {
        return all().stream().flatMap(c -> c.lines().stream()).filter(l -> l.startsWith("S ")).map(l -> l.substring(2))
                .toList();
    }

    /**
     * The stack traces of the first unexpected exceptions the children wrote to stderr
     * ({@code unexpected in ...} and the lines of its trace), at most {@code lines} lines.
     */
    List<String> unexpectedTraces(int lines) {
        List<String> out = new ArrayList<>();
        for (ChildJvm c : all()) {
            boolean in = false;
            for (String line : c.stderr().split("\n")) {
                if (out.size() >= lines) {
                    return out;
                }
                if (line.startsWith("unexpected in ")) {
                    in = true;
                    out.add("pid " + c.pid() + ": " + line);
                } else if (in && (line.startsWith("\t") || line.startsWith("Caused by") || line.startsWith(" "))) {
                    out.add(line);
                } else {
                    in = false;
                }
            }
        }
        return out;
    }

    /** Waits until the live child printed {@code done}. */
    void awaitDone(Duration timeout) {
        if (child != null && child.isAlive()) {
            child.resume();
            child.awaitLine("done"::equals, timeout);
        }
    }

    private List<ChildJvm> all() {
        List<ChildJvm> all = new ArrayList<>(dead);
        if (child != null) {
            all.add(child);
        }
        return all;
    }

    @Override
    public void close() {
        all().forEach(ChildJvm::close);
        proxies.forEach(FaultProxy::close);
    }
}
