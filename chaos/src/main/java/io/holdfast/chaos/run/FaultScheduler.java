package io.holdfast.chaos.run;

import io.holdfast.chaos.history.FaultWindow;
import io.holdfast.chaos.proxy.Direction;
import io.holdfast.chaos.proxy.Link;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
 */
final class FaultScheduler {

    /** How long a fault's effect can outlast it: a watchdog lease, or the longest explicit one, plus slack. */
    static final long EFFECT = TimeUnit.MILLISECONDS.toNanos(
            Math.max(ChaosWorker.WATCHDOG_LEASE.toMillis(), ChaosWorker.MAX_EXPLICIT_LEASE_MS) + 500);

    private final Random random;
    private final List<FaultType> types;
    private final List<WorkerSlot> slots;
    private final RedisServer server;
    private final List<FaultWindow> windows = new ArrayList<>();
    private final List<FaultType> round = new ArrayList<>();
    private final Map<FaultType, Integer> counts = new EnumMap<>(FaultType.class);

    FaultScheduler(long seed, List<FaultType> types, List<WorkerSlot> slots, RedisServer server) {
        this.random = new Random(seed);
        this.types = types;
        this.slots = slots;
        this.server = server;
    }

    List<FaultWindow> windows() {
        return windows;
    }

    Map<FaultType, Integer> counts() {
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
        long start = System.nanoTime();
        String detail = inject(type, slot, ms);
        if (detail == null) {
            return;
        }
        counts.merge(type, 1, Integer::sum);
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
                slot.child().resume();
                return who + " for " + ms + " ms";
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

    /** {@code DEBUG SLEEP} on a connection of its own (it blocks that connection until done). */
    private void debugSleep(long ms) {
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
