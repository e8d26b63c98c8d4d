package io.holdfast.chaos.run;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.HoldfastTimeoutException;
import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.ReplicationException;
import io.holdfast.chaos.history.Hold;
import io.holdfast.chaos.history.Wait;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chaos workload process (child JVM main). Arguments: redis URI (its own fault proxy; in quorum
 * mode the masters' URIs, comma-separated, one proxy each: see {@link QuorumWorkload}; in Cluster
 * mode a {@code redis-cluster://} URI of the nodes' real addresses), history file, seconds to run,
 * threads, seed, key prefix, names per kind, and in Cluster mode the map of node ports to this
 * worker's proxies ({@link #throughProxies}). Each thread loops until the time is up: it picks
 * a lock ({@link #NAMES}: three default, two fair, two read-write) and a style at random (seeded),
 * acquires, runs a short critical section (sometimes longer than an explicit lease, on purpose),
 * releases, and appends one {@code WAIT} and one {@code HOLD} line per acquisition to the history
 * (see {@link io.holdfast.chaos.history.Event}). An exception outside the documented ones
 * ({@code LockLostException} at unlock, {@code RedisUnavailableException},
 * {@code HoldfastTimeoutException}, {@code ReplicationException}) is also written, as {@code ERR}.
 * Prints {@code P <holds>} every 2 s and {@code done} at the end.
 */
public final class ChaosWorker {

    /** Lock names of the workload; the first letter says the kind (x default, f fair, r read-write). */
    static final List<String> NAMES = List.of("x0", "x1", "x2", "f0", "f1", "rw0", "rw1");
    /** The watchdog lease of worker clients: short, so that faults bite in seconds. */
    static final Duration WATCHDOG_LEASE = Duration.ofSeconds(2);
    /** The longest explicit lease the workload asks for. */
    static final long MAX_EXPLICIT_LEASE_MS = 1500;

    /** A worker thread still in a cycle this long after the deadline is a straggler: its stack is printed. */
    static final long STRAGGLER_SECONDS = 20;

    /** How often a failed unlock is retried before the worker moves on. */
    static final int UNLOCK_RETRIES = 10;

    private final Holdfast holdfast;
    private final HistoryWriter history;
    private final long pid = ProcessHandle.current().pid();
    private final long deadline;
    private final AtomicLong holds = new AtomicLong();
    private final List<String> names;
    /** Quorum mode's workload, or {@code null} for the standalone one. */
    private final QuorumWorkload quorum;
    private final AtomicLong groups = new AtomicLong();

    private ChaosWorker(Holdfast holdfast, HistoryWriter history, long deadline, List<String> names,
                        QuorumWorkload quorum) {
        this.names = names;
        this.quorum = quorum;
        this.holdfast = holdfast;
        this.history = history;
        this.deadline = deadline;
    }

    public static void main(String[] args) throws Exception {
        List<String> uris = List.of(args[0].split(","));
        Path file = Path.of(args[1]);
        long seconds = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        String prefix = args[5];
        int perKind = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        String mapping = args.length > 7 ? args[7] : "-";
        boolean cluster = args[0].startsWith("redis-cluster://");
        if (cluster) {
            uris = List.of(args[0]); // one Cluster URI (its seeds are comma-separated)
        }
        ClientResources resources = cluster ? throughProxies(mapping) : null;
        List<Holdfast> clients = new ArrayList<>();
        for (String uri : uris) {
            HoldfastOptions.Builder options = HoldfastOptions.builder(uri).keyPrefix(prefix)
                    .watchdogLease(WATCHDOG_LEASE).fairWaiterTimeout(Duration.ofSeconds(2))
                    .commandTimeout(Duration.ofSeconds(2));
            if (resources != null) {
                options.clientResources(resources);
            }
            clients.add(Holdfast.connect(options.build()));
        }
        Holdfast holdfast = clients.get(0);
        // quorum mode: one client per master (comma-separated URIs), each through its own proxy
        QuorumWorkload quorum = clients.size() > 1 ? new QuorumWorkload(clients, perKind) : null;
        try (HistoryWriter history = new HistoryWriter(file)) {
            ChaosWorker worker = new ChaosWorker(holdfast, history, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds),
                    cluster ? clusterNames(perKind) : names(perKind), quorum);
            System.out.println("ready");
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed * 1_000_003L + t);
                int index = t;
                Thread thread = new Thread(() -> worker.loop(index, random), "chaos-worker-" + t);
                thread.start();
                all.add(thread);
            }
            boolean dumped = false;
            while (all.stream().anyMatch(Thread::isAlive)) {
                all.get(0).join(2000);
                for (Thread t : all) {
                    t.join(1);
                }
                System.out.println("P " + worker.holds.get());
                if (!dumped && System.nanoTime() - worker.deadline > TimeUnit.SECONDS.toNanos(STRAGGLER_SECONDS)) {
                    dumped = true;
                    dumpStragglers(all);
                }
            }
        } finally {
            if (quorum != null) {
                quorum.close();
            }
            clients.forEach(Holdfast::close);
            if (resources != null) {
                resources.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
        System.out.println("done");
        System.exit(0);
    }

    private void loop(int thread, Random random) {
        while (System.nanoTime() - deadline < 0) {
            char role;
            RLock lock;
            if (quorum != null) {
                QuorumWorkload.Choice choice = quorum.pick(random);
                lock = choice.lock();
                role = choice.role();
            } else {
                String name = names.get(random.nextInt(names.size()));
                role = switch (name.charAt(0)) {
                    case 'x' -> 'X';
                    case 'f' -> 'F';
                    default -> random.nextInt(3) == 0 ? 'W' : 'R';
                };
                lock = switch (role) {
                    case 'X' -> holdfast.getLock(name);
                    case 'F' -> holdfast.getFairLock(name);
                    case 'W' -> holdfast.getReadWriteLock(name).writeLock();
                    default -> holdfast.getReadWriteLock(name).readLock();
                };
            }
            try {
                if (random.nextInt(5) == 0) {
                    new AsyncCycle(this, lock, role, 1_000_000L + thread, random).run();
                } else {
                    new BlockingCycle(this, lock, role, "t" + thread, random).run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                error("t" + thread, "loop", e);
            }
        }
    }

    /**
     * Prints {@code S <thread>} and {@code S   at <frame>} lines for every worker thread still alive
     * (a cycle that did not end {@link #STRAGGLER_SECONDS} s after the run's end: a liveness sign the
     * report lists, not a safety finding).
     */
    private static void dumpStragglers(List<Thread> threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                System.out.println("S " + t.getName() + " still in a cycle " + STRAGGLER_SECONDS + " s after the end");
                for (StackTraceElement e : t.getStackTrace()) {
                    System.out.println("S   at " + e);
                }
            }
        }
    }

    /** {@link #NAMES}, or {@code perKind} names of each kind (x, f, rw) when it is above 0. */
    static List<String> names(int perKind) {
        if (perKind <= 0) {
            return NAMES;
        }
        List<String> all = new ArrayList<>();
        for (String kind : List.of("x", "f", "rw")) {
            for (int i = 0; i < perKind; i++) {
                all.add(kind + i);
            }
        }
        return List.copyOf(all);
    }

    /**
     * Cluster mode: Lettuce resources whose address resolver sends every connection to a node's real
     * port ({@code CLUSTER SLOTS} announces the real addresses) to this worker's proxy of that node
     * instead; {@code mapping} is {@code realPort=proxyPort;...}. Passed to Holdfast through
     * {@link HoldfastOptions.Builder#clientResources}, so the proxies see every connection: seeds,
     * topology refreshes, command, pub/sub and per-node connections.
     */
    static ClientResources throughProxies(String mapping) {
        Map<Integer, Integer> ports = new HashMap<>();
        for (String pair : mapping.split(";")) {
            String[] p = pair.split("=");
            ports.put(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
        return DefaultClientResources.builder()
                .socketAddressResolver(MappingSocketAddressResolver.create((HostAndPort real) -> {
                    Integer proxy = ports.get(real.getPort());
                    if (proxy == null) {
                        throw new IllegalStateException("no proxy for cluster node " + real + " (mapping " + mapping + ")");
                    }
                    return HostAndPort.of("127.0.0.1", proxy);
                }))
                .build();
    }

    /**
     * Cluster mode's names: {@code perKind} names of each kind (x, f, rw) when above 0, else for each
     * kind the first names ({@code x0, x1, ...}) that put one name in each third of the slot space,
     * where the three masters' slots start, so that every kind is exercised on every shard.
     */
    static List<String> clusterNames(int perKind) {
        if (perKind > 0) {
            return names(perKind);
        }
        List<String> all = new ArrayList<>();
        for (String kind : List.of("x", "f", "rw")) {
            boolean[] covered = new boolean[3];
            for (int i = 0; !(covered[0] && covered[1] && covered[2]); i++) {
                int third = SlotHash.getSlot(kind + i) * 3 / SlotHash.SLOT_COUNT;
                if (!covered[third]) {
                    covered[third] = true;
                    all.add(kind + i);
                }
            }
        }
        return List.copyOf(all);
    }

    // --- recording, shared by the cycles ---

    void recordWait(String owner, RLock lock, char role, long start, String outcome) {
        history.write(new Wait(pid, owner, lock.getName(), role, start, System.nanoTime(), outcome).line());
    }

    /**
     * Writes one hold: one line; for a multi-lock (role {@code M}) one line per member, with the
     * member's name, role and token and the group's times and outcome, written at once; for a quorum
     * lock (role {@code Q}) one line that says how many masters granted it.
     */
    void recordHold(String owner, RLock lock, Lease lease, char role, long start, long end, long believedUntil,
                    String outcome, AtomicLong lostAt) {
        holds.incrementAndGet();
        if (role == 'M') {
            Lease[] members = QuorumWorkload.memberLeases(lease);
            String roles = quorum.memberRoles(lock);
            String group = "M" + groups.incrementAndGet() + "/" + members.length;
            List<String> names = List.of(lock.getName().split(","));
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < members.length; i++) {
                if (i > 0) {
                    lines.append(System.lineSeparator());
                }
                lines.append(new Hold(pid, owner, names.get(i), roles.charAt(i), members[i].fencingToken(), start, end,
                        believedUntil, outcome, lostAt.get(), group).line());
            }
            history.write(lines.toString());
            return;
        }
        String group = Hold.NO_GROUP;
        if (role == 'Q') {
            Lease[] members = QuorumWorkload.memberLeases(lease);
            group = "Q" + java.util.Arrays.stream(members).filter(m -> m != null).count() + "/" + members.length;
        }
        history.write(new Hold(pid, owner, lease.lockName(), role, lease.fencingToken(), start, end, believedUntil,
                outcome, lostAt.get(), group).line());
    }

    void error(String owner, String where, Throwable e) {
        history.write("ERR " + pid + " " + owner + " " + where + " " + e.getClass().getName());
        System.out.println("E " + where + " " + e.getClass().getName());
        System.err.println("unexpected in " + where + ": " + e);
        e.printStackTrace();
    }

    /** Whether {@code e} is one of the failures the API documents for an unreachable or slow Redis. */
    static boolean expected(Throwable e) {
        return e instanceof RedisUnavailableException || e instanceof HoldfastTimeoutException
                || e instanceof ReplicationException;
    }

    /** Records the first {@code whenLost} completion of {@code lease} into a fresh cell. */
    static AtomicLong watchLoss(Lease lease) {
        AtomicLong lostAt = new AtomicLong(-1);
        lease.whenLost().whenComplete((e, t) -> lostAt.compareAndSet(-1, System.nanoTime()));
        return lostAt;
    }

    /** A critical section: mostly short, sometimes a few hundred ms, sometimes past an explicit lease. */
    static long sectionMillis(Random random, long leaseMs) {
        int r = random.nextInt(100);
        if (leaseMs > 0 && r < 4) {
            return leaseMs + 100 + random.nextInt(300);
        }
        return r < 70 ? random.nextInt(5) : r < 95 ? 5 + random.nextInt(45) : 100 + random.nextInt(300);
    }

    /** Paces a retry after Redis was unreachable: 200 ms. */
    static void backOff() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
}
