package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The start protocol of the interval-recording child JVMs ({@link CounterMain}, {@link RwMixMain}):
 * each child prints {@code ready} once connected, waits for {@code go} on stdin, runs its worker
 * threads, prints one interval line per critical section and {@code done}. Both sides live here:
 * {@link #start} / {@link #intervals} for the test, {@link #awaitGo} / {@link #runThreads} for the
 * child.
 */
final class WorkerChildren implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);

    private final List<ChildJvm> children = new ArrayList<>();

    private WorkerChildren() {
    }

    /** Starts {@code count} children of {@code main}, child i with {@code args.apply(i)}, and lets them go together. */
    static WorkerChildren start(Class<?> main, int count, IntFunction<String[]> args) {
        WorkerChildren group = new WorkerChildren();
        try {
            for (int i = 0; i < count; i++) {
                group.children.add(ChildJvm.builder(main).arg(args.apply(i)).start());
            }
            for (ChildJvm child : group.children) {
                child.awaitLine("ready"::equals, START);
            }
        } catch (RuntimeException | Error e) {
            group.close();
            throw e;
        }
        group.children.forEach(child -> child.sendLine("go"));
        return group;
    }

    /** Waits until every child printed {@code done}; returns their lines, in child order. */
    List<String> awaitDone(Duration timeout) {
        List<String> lines = new ArrayList<>();
        for (ChildJvm child : children) {
            child.awaitLine("done"::equals, timeout);
            lines.addAll(child.lines());
        }
        return lines;
    }

    /** The interval lines ({@code R}, {@code W}, {@code I}) among {@code lines}. */
    static List<Interval> intervals(List<String> lines) {
        return lines.stream().filter(l -> l.matches("[RWI] .*")).map(Interval::parse).toList();
    }

    @Override
    public void close() {
        children.forEach(ChildJvm::close);
    }

    // --- the child's side ---

    /** The child's Holdfast client: a 5 s watchdog lease, long enough for a loaded machine. */
    static Holdfast client(String uri) {
        return Holdfast.connect(HoldfastOptions.builder(uri).watchdogLease(Duration.ofSeconds(5)).build());
    }

    /** Prints {@code ready} and waits for the test's {@code go}; false if stdin said anything else. */
    static boolean awaitGo() throws IOException {
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return "go".equals(in.readLine());
    }

    /** Runs {@code threads} workers ({@code worker.apply(i)}) to the end, then prints {@code done}. */
    static void runThreads(int threads, IntFunction<Runnable> worker) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(worker.apply(t));
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        System.out.println("done");
    }
}
