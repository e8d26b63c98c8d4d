package io.holdfast.chaos.run;

import io.holdfast.chaos.proxy.FaultProxy;
import io.holdfast.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker process of the run and its own fault proxy. A killed child is replaced by a new one
 * (a new history file) behind the same proxy.
 */
final class WorkerSlot implements AutoCloseable {

    private final int index;
    private final FaultProxy proxy;
    private final Path dir;
    private final ChaosConfig config;
    private final String prefix;
    private final long deadline;
    private final List<ChildJvm> dead = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private ChildJvm child;

    WorkerSlot(int index, FaultProxy proxy, Path dir, ChaosConfig config, String prefix, long deadline) {
        this.index = index;
        this.proxy = proxy;
        this.dir = dir;
        this.config = config;
        this.prefix = prefix;
        this.deadline = deadline;
    }

    FaultProxy proxy() {
        return proxy;
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
        child = ChildJvm.builder(ChaosWorker.class).jvmArg("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .arg(proxy.uri(), file.toString(), Long.toString(seconds), Integer.toString(config.threads()),
                        Long.toString(config.seed() * 7919 + index * 131 + generation), prefix, Integer.toString(config.names()))
                .start();
        child.awaitLine("ready"::equals, Duration.ofSeconds(60));
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
        proxy.close();
    }
}
