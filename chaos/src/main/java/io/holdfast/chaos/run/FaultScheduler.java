package io.holdfast.chaos.run;

import io.holdfast.chaos.history.FaultWindow;
import io.holdfast.chaos.proxy.Direction;
import io.holdfast.chaos.proxy.FaultProxy;
import io.holdfast.chaos.proxy.Link;
import io.holdfast.testkit.RedisClusterGroup;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Injects one fault at a time, with random type, target and timing from one {@link Random}, and
 * records each as a {@link FaultWindow}. Types come in rounds: every type once per round, in a
 * shuffled order, so even a short run injects each. A window lasts as long as the fault's effect can: until the fault is
 * lifted plus the longest lease a worker can hold ({@link #EFFECT}), because a holder that was cut
 * off keeps the lock on the server until its lease runs out. Between two faults the system runs
 * 0.5–2 s undisturbed; a fault lasts 0.2–3.2 s. Faults are timed with plain waits: they are the workload's schedule, not a
 * synchronisation. The exact timing of a fault relative to the workers is not reproducible; the
 * sequence of fault types, targets and durations is.
 *
 * <p><b>Quorum mode</b> (several servers): each fault also draws its masters, a minority (1 to N/2)
 * — or, with {@code majorityFaults}, a majority one time in four. A proxy fault hits the chosen
 * masters' proxies of one worker, or (one time in two) of every worker: a network fault of those
 * masters. A server fault ({@code CLIENT_PAUSE}, {@code DEBUG_SLEEP}) hits each chosen master. A
 * restart of a minority keeps the masters out (dead) for one longest lease plus slack before they
 * rejoin empty ({@link #EFFECT}: what the README's failure model asks of an operator), window
 * {@code MASTER_RESTART}, checked like any fault; a restart of a majority rejoins at once, window
 * {@link FaultWindow#MAJORITY_RESTART}, outside the failure model and accounted for by the checker.
 * Process faults ({@code SIGSTOP}, {@code KILL9}) hit one worker, as in standalone mode.
 *
 * <p><b>Cluster mode</b>: the faults of {@link ClusterFaults}, drawn the same way (rounds of every
 * type of the mode).
 */
final class FaultScheduler {

    /** How long a fault's effect can outlast it: a watchdog lease, or the longest explicit one, plus slack. */
    static final long EFFECT = TimeUnit.MILLISECONDS.toNanos(
            Math.max(ChaosWorker.WATCHDOG_LEASE.toMillis(), ChaosWorker.MAX_EXPLICIT_LEASE_MS) + 500);

    private final Random random;
    private final List<FaultType> types;
    private final List<WorkerSlot> slots;
    private final RedisServer server;
    private final List<RedisServer> servers;
    private final boolean quorum;
    private final boolean majorityFaults;
    private final List<FaultWindow> windows = new ArrayList<>();
    private final List<FaultType> round = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    /** Cluster mode's faults, or {@code null}. */
    private final ClusterFaults cluster;
    /** Quorum mode: the masters the current fault hits, and whether they are a majority. */
    private List<Integer> masters = List.of(0);
    private boolean majority;

    FaultScheduler(long seed, List<FaultType> types, List<WorkerSlot> slots, List<RedisServer> servers,
                   boolean majorityFaults) {
        this(seed, types, slots, servers, majorityFaults, null, List.of());
    }

    /**
     * With {@code cluster} non-null: Cluster mode (see {@link ClusterFaults}), whose slot migrations
     * move the slots of {@code names}; the types are filtered to those of the mode.
     */
    FaultScheduler(long seed, List<FaultType> types, List<WorkerSlot> slots, List<RedisServer> servers,
                   boolean majorityFaults, RedisClusterGroup cluster, List<String> names) {
        this.random = new Random(seed);
        this.types = types.stream().filter(cluster != null ? FaultType::inCluster : FaultType::outsideCluster).toList();
        this.slots = slots;
        this.servers = List.copyOf(servers);
        this.server = servers.get(0);
        this.quorum = cluster == null && servers.size() > 1;
        this.majorityFaults = majorityFaults;
        this.cluster = cluster == null ? null : new ClusterFaults(cluster, slots, names, random);
    }

    List<FaultWindow> windows() {
        return windows;
    }

    /** Faults injected per type; in quorum mode per type and target ({@code minority}/{@code majority}). */
    Map<String, Integer> counts() {
        return counts;
    }

    int total() {
        return windows.size();
    }

    /** Injects the next fault (if at least {@code 6 s} of the run are left) and waits the quiet gap after it. */
    void next(long deadline) {
        pause(500 + random.nextInt(1500));
        if (deadline - System.nanoTime() < TimeUnit.SECONDS.toNanos(6)) {
            return;
        }
        if (round.isEmpty()) {
            round.addAll(types);
            Collections.shuffle(round, random);
        }
        FaultType type = round.remove(round.size() - 1);
        WorkerSlot slot = slots.get(random.nextInt(slots.size()));
        long ms = 200 + random.nextInt(3000);
        if (quorum) {
            int n = servers.size();
            majority = majorityFaults && random.nextInt(4) == 0;
            int size = majority ? n / 2 + 1 : 1 + random.nextInt(n / 2);
            List<Integer> all = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                all.add(m);
            }
            Collections.shuffle(all, random);
            masters = all.subList(0, size).stream().sorted().toList();
        }
        long start = System.nanoTime();
        if (cluster != null) {
            FaultWindow window = cluster.inject(type, slot, ms);
            if (window != null) {
                counts.merge(window.type().equals(type.name()) ? type.name() : type.name() + "->" + window.type(), 1,
                        Integer::sum);
                windows.add(window);
            }
            return;
        }
        String detail = quorum ? injectQuorum(type, slot, ms) : inject(type, slot, ms);
        if (detail == null) {
            return;
        }
        counts.merge(quorum && isOnMasters(type) ? type.name() + (majority ? "@majority" : "@minority") : type.name(),
                1, Integer::sum);
        if (quorum) {
            FaultWindow window = type != FaultType.REDIS_RESTART
                    ? new FaultWindow(type.name(), start, System.nanoTime() + EFFECT, detail)
                    : majority ? new FaultWindow(FaultWindow.MAJORITY_RESTART, killedAt, restartingAt, detail)
                    : new FaultWindow("MASTER_RESTART", killedAt, System.nanoTime() + EFFECT, detail);
            windows.add(window);
            return;
        }
        // a restart's window is the time no server was there: from when the old one was dead (a holder
        // that called unlock() before had finished its critical section while the server still had its
        // hold) to when the new one was started (before that, nobody could be granted anything). Holds
        // spanning it are exempt from the overlap check; those still running after it must be told.
        FaultWindow window = type == FaultType.REDIS_RESTART
                ? new FaultWindow(type.name(), killedAt, restartingAt, detail)
                : new FaultWindow(type.name(), start, System.nanoTime() + EFFECT, detail);
        windows.add(window);
    }

    /** When the last Redis kill had finished (the server process was gone). */
    private long killedAt;
    /** When the last Redis restart began: no new server process existed before. */
    private long restartingAt;

    /** Causes the fault and lifts it; returns what it did, or {@code null} if it had no target. */
    private String inject(FaultType type, WorkerSlot slot, long ms) {
        String who = "slot " + slots.indexOf(slot) + " pid " + slot.child().pid();
        switch (type) {
            case LATENCY -> {
                Direction d = random.nextBoolean() ? Direction.TO_SERVER : Direction.TO_CLIENT;
                long max = 5 + random.nextInt(600);
                slot.proxy().latency(d, 0, max, random.nextLong());
                pause(ms);
                slot.proxy().clearFaults();
                return who + " " + d + " 0-" + max + " ms for " + ms + " ms";
            }
            case HOLD_PUBSUB -> {
                Optional<Link> link = slot.proxy().links().stream().filter(Link::isPubSub).findAny();
                if (link.isEmpty()) {
                    return null;
                }
                link.get().holdBack(Direction.TO_CLIENT);
                pause(ms);
                link.get().release(Direction.TO_CLIENT);
                return who + " link " + link.get().id() + " for " + ms + " ms";
            }
            case DROP_REPLY -> {
                List<Link> commands = slot.proxy().links().stream().filter(l -> !l.isPubSub()).toList();
                if (commands.isEmpty()) {
                    return null;
                }
                Link link = commands.get(random.nextInt(commands.size()));
                link.dropReplyTo(c -> c.name().equalsIgnoreCase("EVALSHA"), 1);
                pause(ms);
                return who + " link " + link.id() + " next EVALSHA within " + ms + " ms";
            }
            case BLACKHOLE -> {
                slot.proxy().blackholeAll(true);
                pause(ms);
                slot.proxy().blackholeAll(false);
                return who + " for " + ms + " ms";
            }
            case RESET -> {
                slot.proxy().resetAll();
                return who;
            }
            case SIGSTOP -> {
                slot.child().pause();
                pause(ms);
                return who + " for " + ms + " ms" + slot.resumeChild();
            }
            case KILL9 -> {
                slot.killAndReplace();
                return who;
            }
            case CLIENT_PAUSE -> {
                server.commands().clientPause(ms);
                pause(ms);
                return "for " + ms + " ms";
            }
            case DEBUG_SLEEP -> {
                long sleep = Math.min(ms, 3000);
                debugSleep(sleep);
                return "for " + sleep + " ms";
            }
            case REDIS_RESTART -> {
                server.kill();
                killedAt = System.nanoTime();
                pause(random.nextInt(500));
                restartingAt = System.nanoTime();
                server.restart();
                return "pid now " + server.pid();
            }
        }
        throw new AssertionError(type);
    }

    private static boolean isOnMasters(FaultType type) {
        return type != FaultType.SIGSTOP && type != FaultType.KILL9;
    }

    /** Quorum mode: causes the fault on {@link #masters} and lifts it; returns what it did, or {@code null}. */
    private String injectQuorum(FaultType type, WorkerSlot slot, long ms) {
        String on = (majority ? "majority " : "minority ") + "masters " + masters;
        List<WorkerSlot> targets = switch (type) {
            case LATENCY, HOLD_PUBSUB, DROP_REPLY, BLACKHOLE, RESET -> random.nextBoolean() ? slots : List.of(slot);
            default -> List.of(slot);
        };
        String who = targets.size() > 1 ? "every worker" : "slot " + slots.indexOf(slot) + " pid " + slot.child().pid();
        List<FaultProxy> proxies = new ArrayList<>();
        for (WorkerSlot t : targets) {
            masters.forEach(m -> proxies.add(t.proxies().get(m)));
        }
        switch (type) {
            case LATENCY -> {
                Direction d = random.nextBoolean() ? Direction.TO_SERVER : Direction.TO_CLIENT;
                long max = 5 + random.nextInt(600);
                long seed = random.nextLong();
                proxies.forEach(p -> p.latency(d, 0, max, seed));
                pause(ms);
                proxies.forEach(FaultProxy::clearFaults);
                return who + " to " + on + " " + d + " 0-" + max + " ms for " + ms + " ms";
            }
            case HOLD_PUBSUB -> {
                List<Link> links = proxies.stream().flatMap(p -> p.links().stream()).filter(Link::isPubSub).toList();
                if (links.isEmpty()) {
                    return null;
                }
                links.forEach(l -> l.holdBack(Direction.TO_CLIENT));
                pause(ms);
                links.forEach(l -> l.release(Direction.TO_CLIENT));
                return who + " to " + on + " " + links.size() + " pub/sub links for " + ms + " ms";
            }
            case DROP_REPLY -> {
                List<Link> commands = proxies.stream().flatMap(p -> p.links().stream()).filter(l -> !l.isPubSub()).toList();
                if (commands.isEmpty()) {
                    return null;
                }
                commands.forEach(l -> l.dropReplyTo(c -> c.name().equalsIgnoreCase("EVALSHA"), 1));
                pause(ms);
                return who + " to " + on + " " + commands.size() + " command links, next EVALSHA within " + ms + " ms";
            }
            case BLACKHOLE -> {
                proxies.forEach(p -> p.blackholeAll(true));
                pause(ms);
                proxies.forEach(p -> p.blackholeAll(false));
                return who + " to " + on + " for " + ms + " ms";
            }
            case RESET -> {
                proxies.forEach(FaultProxy::resetAll);
                return who + " to " + on;
            }
            case SIGSTOP -> {
                slot.child().pause();
                pause(ms);
                return who + " for " + ms + " ms" + slot.resumeChild();
            }
            case KILL9 -> {
                slot.killAndReplace();
                return who;
            }
            case CLIENT_PAUSE -> {
                masters.forEach(m -> servers.get(m).commands().clientPause(ms));
                pause(ms);
                return on + " for " + ms + " ms";
            }
            case DEBUG_SLEEP -> {
                long sleep = Math.min(ms, 3000);
                List<Thread> sleepers = masters.stream()
                        .map(m -> {
                            Thread t = new Thread(() -> debugSleep(servers.get(m), sleep), "debug-sleep-" + m);
                            t.start();
                            return t;
                        }).toList();
                for (Thread t : sleepers) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while masters slept", e);
                    }
                }
                return on + " for " + sleep + " ms";
            }
            case REDIS_RESTART -> {
                masters.forEach(m -> servers.get(m).kill());
                killedAt = System.nanoTime();
                // a minority stays out for one longest lease plus slack, as the failure model asks; a majority
                // (outside the model) rejoins at once, as a standalone restart does
                pause(majority ? random.nextInt(500) : TimeUnit.NANOSECONDS.toMillis(EFFECT) + random.nextInt(500));
                restartingAt = System.nanoTime();
                masters.forEach(m -> servers.get(m).restart());
                return on + (majority ? " restarted at once" : " kept out " + TimeUnit.NANOSECONDS.toMillis(restartingAt - killedAt)
                        + " ms, then restarted") + ", pids now " + masters.stream().map(m -> servers.get(m).pid()).toList();
            }
        }
        throw new AssertionError(type);
    }

    /** {@code DEBUG SLEEP} on a connection of its own (it blocks that connection until done). */
    private void debugSleep(long ms) {
        debugSleep(server, ms);
    }

    private static void debugSleep(RedisServer server, long ms) {
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.setTimeout(java.time.Duration.ofMillis(ms + 10_000));
            c.sync().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(ms / 1000.0));
        } finally {
            client.shutdown();
        }
    }

    private static void pause(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
