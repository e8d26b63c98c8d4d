import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client-side cost of one uncontended cycle: the bench's floor (two sync EVALSHA of {@code return 1}
 * on one Lettuce connection) or Holdfast's {@code lock()} + {@code unlock()} of one free lock
 * ({@code read}: of one free read-write lock's read lock). After
 * a 12 s warm-up (so the JIT is done), it runs the cycle for the given seconds and prints cycles/s,
 * the process's CPU per cycle, and per thread (from /proc, Linux only) the CPU and context switches
 * per cycle. Against a redis-server you started:
 *
 * <pre>java -cp bench/target/holdfast-bench-*-all.jar bench/experiments/uncontended/ClientCpu.java redis://127.0.0.1:6379 floor|holdfast|read 8</pre>
 */
public class ClientCpu {

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String mode = args[1];
        long seconds = Long.parseLong(args[2]);
        if (mode.equals("floor")) {
            RedisClient client = RedisClient.create(uri);
            RedisCommands<String, String> sync = client.connect().sync();
            String sha = sync.scriptLoad("return 1");
            measure(mode, seconds, () -> {
                sync.evalsha(sha, ScriptOutputType.INTEGER);
                sync.evalsha(sha, ScriptOutputType.INTEGER);
            });
            client.shutdown();
        } else {
            try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(uri).build())) {
                java.util.concurrent.locks.Lock lock = mode.equals("read")
                        ? holdfast.getReadWriteLock("client-cpu-rw").readLock()
                        : holdfast.getLock("client-cpu");
                measure(mode, seconds, () -> {
                    lock.lock();
                    lock.unlock();
                });
            }
        }
    }

    private static void measure(String mode, long seconds, Runnable cycle) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long warm = System.nanoTime() + 12_000_000_000L;
        while (System.nanoTime() < warm) {
            cycle.run();
        }
        Map<String, long[]> threadsBefore = threads();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long n = 0;
        while (System.nanoTime() < end) {
            cycle.run();
            n++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        System.out.printf("%s: %.0f cycles/s, process CPU %.1f us per cycle%n", mode, n / elapsed, cpu / 1e3 / n);
        for (var e : threads().entrySet()) {
            long[] before = threadsBefore.getOrDefault(e.getKey(), new long[2]);
            double switches = (e.getValue()[0] - before[0]) / (double) n;
            double cpuMicros = (e.getValue()[1] - before[1]) * 10_000.0 / n; // clock ticks of 10 ms
            if (switches > 0.01 || cpuMicros > 1) {
                System.out.printf("  %-24s CPU %6.1f us, context switches %.2f per cycle%n", e.getKey(), cpuMicros, switches);
            }
        }
    }

    /** Per thread name (digits folded): {context switches, user + system clock ticks}. */
    private static Map<String, long[]> threads() {
        Map<String, long[]> byName = new TreeMap<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String status = Files.readString(task.resolve("status"));
                    String name = status.lines().filter(l -> l.startsWith("Name:")).findFirst().orElse("Name:?")
                            .substring(5).trim().replaceAll("[0-9]+", "N");
                    long switches = status.lines().filter(l -> l.contains("ctxt_switches"))
                            .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).sum();
                    String[] stat = Files.readString(task.resolve("stat")).split("\\) ")[1].split(" ");
                    long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                    long[] sum = byName.computeIfAbsent(name, k -> new long[2]);
                    sum[0] += switches;
                    sum[1] += ticks;
                } catch (Exception threadEnded) {
                    // it ended while being read
                }
            }
        } catch (Exception e) {
            return byName; // no /proc: the process total only
        }
        return byName;
    }
}
