package io.holdfast.chaos.run;

import io.holdfast.chaos.history.FaultWindow;
import io.holdfast.chaos.proxy.Direction;
import io.holdfast.chaos.proxy.FaultProxy;
import io.holdfast.chaos.proxy.Link;
import io.holdfast.testkit.RedisClusterGroup;
import io.holdfast.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The faults of Cluster mode ({@code --cluster}), caused for real on the cluster's nodes and on the
 * per-worker proxies the harness started (one proxy per node per worker; each worker's client maps
 * the nodes' announced addresses to its proxies, see {@link ChaosWorker}):
 * <ul>
 * <li>proxy faults ({@code LATENCY}, {@code HOLD_PUBSUB}, {@code DROP_REPLY}, {@code BLACKHOLE},
 *     {@code RESET}) on one worker's link to one node, or (one time in two) to every node;
 * <li>{@code SIGSTOP} / {@code KILL9} of one worker, as in standalone mode;
 * <li>{@code CLIENT_PAUSE} of one master;
 * <li>{@code MASTER_SIGSTOP}: one master stopped 0.2–3.2 s; past the node timeout (1 s) its replica
 *     is promoted and the old master rejoins as a replica once continued: then the window is a
 *     {@link FaultWindow#FAILOVER}, from the stop until the cluster is stable again;
 * <li>{@code FAILOVER}: one master killed with SIGKILL, its replica promoted, the old node restarted
 *     (empty: no persistence) and rejoined as a replica; window {@link FaultWindow#FAILOVER} from the
 *     kill until the cluster is stable with the old node back;
 * <li>{@code SLOT_MIGRATION}: the slot of one of the workload's names moved to another master
 *     ({@link RedisClusterGroup#migrateSlot}) while its locks are held and waited for; it loses no
 *     write, so its window exempts nothing.
 * </ul>
 * A failover window's detail names the failed master's slots ({@code slots=a-b+c-d}), which the
 * checker uses to exempt only the names in them.
 */
final class ClusterFaults {

    private static final Duration STABLE = Duration.ofSeconds(30);

    private final RedisClusterGroup cluster;
    private final List<RedisServer> nodes;
    private final List<WorkerSlot> slots;
    private final List<String> names;
    private final Random random;

    ClusterFaults(RedisClusterGroup cluster, List<WorkerSlot> slots, List<String> names, Random random) {
        this.cluster = cluster;
        this.nodes = cluster.servers();
        this.slots = slots;
        this.names = names;
        this.random = random;
    }

    /** Causes {@code type} and lifts it; returns its window, or {@code null} if it had no target. */
    FaultWindow inject(FaultType type, WorkerSlot slot, long ms) {
        long start = System.nanoTime();
        if (type == FaultType.MASTER_SIGSTOP) {
            return stopMaster(ms, start);
        }
        if (type == FaultType.FAILOVER) {
            return killMaster(start);
        }
        String who = "slot " + slots.indexOf(slot) + " pid " + slot.child().pid();
        List<FaultProxy> proxies = new ArrayList<>();
        String to;
        if (random.nextBoolean()) {
            proxies.addAll(slot.proxies());
            to = "every node";
        } else {
            int node = random.nextInt(nodes.size());
            proxies.add(slot.proxies().get(node));
            to = "node " + nodes.get(node).port();
        }
        String detail = switch (type) {
            case LATENCY -> {
                Direction d = random.nextBoolean() ? Direction.TO_SERVER : Direction.TO_CLIENT;
                long max = 5 + random.nextInt(600);
                long seed = random.nextLong();
                proxies.forEach(p -> p.latency(d, 0, max, seed));
                pause(ms);
                proxies.forEach(FaultProxy::clearFaults);
                yield who + " to " + to + " " + d + " 0-" + max + " ms for " + ms + " ms";
            }
            case HOLD_PUBSUB -> {
                List<Link> links = proxies.stream().flatMap(p -> p.links().stream()).filter(Link::isPubSub).toList();
                if (links.isEmpty()) {
                    yield null;
                }
                links.forEach(l -> l.holdBack(Direction.TO_CLIENT));
                pause(ms);
                links.forEach(l -> l.release(Direction.TO_CLIENT));
                yield who + " to " + to + " " + links.size() + " pub/sub links for " + ms + " ms";
            }
            case DROP_REPLY -> {
                List<Link> commands = proxies.stream().flatMap(p -> p.links().stream()).filter(l -> !l.isPubSub()).toList();
                if (commands.isEmpty()) {
                    yield null;
                }
                Link link = commands.get(random.nextInt(commands.size()));
                link.dropReplyTo(c -> c.name().equalsIgnoreCase("EVALSHA"), 1);
                pause(ms);
                yield who + " to " + to + " link " + link.id() + " next EVALSHA within " + ms + " ms";
            }
            case BLACKHOLE -> {
                proxies.forEach(p -> p.blackholeAll(true));
                pause(ms);
                proxies.forEach(p -> p.blackholeAll(false));
                yield who + " to " + to + " for " + ms + " ms";
            }
            case RESET -> {
                proxies.forEach(FaultProxy::resetAll);
                yield who + " to " + to;
            }
            case SIGSTOP -> {
                slot.child().pause();
                pause(ms);
                yield who + " for " + ms + " ms" + slot.resumeChild();
            }
            case KILL9 -> {
                slot.killAndReplace();
                yield who;
            }
            case CLIENT_PAUSE -> {
                RedisServer master = anyMaster();
                master.commands().clientPause(ms);
                pause(ms);
                yield "master " + master.port() + " for " + ms + " ms";
            }
            case SLOT_MIGRATION -> {
                String name = names.get(random.nextInt(names.size()));
                int hashSlot = RedisClusterGroup.slotOf(name);
                RedisServer from = cluster.nodeForSlot(hashSlot);
                List<RedisServer> others = cluster.masters().stream().filter(m -> m != from).toList();
                RedisServer into = others.get(random.nextInt(others.size()));
                int keys = cluster.migrateSlot(hashSlot, from, into);
                yield "slot " + hashSlot + " (" + name + ") from " + from.port() + " to " + into.port() + ", " + keys + " keys";
            }
            case MASTER_SIGSTOP, FAILOVER -> throw new AssertionError(type); // handled above
            case DEBUG_SLEEP, REDIS_RESTART -> throw new IllegalArgumentException(type + " is not a Cluster fault");
        };
        return detail == null ? null : new FaultWindow(type.name(), start, System.nanoTime() + FaultScheduler.EFFECT, detail);
    }

    /** SIGSTOP of one master for {@code ms}; a {@code FAILOVER} window if its replica took over meanwhile. */
    private FaultWindow stopMaster(long ms, long start) {
        RedisServer master = anyMaster();
        String served = slotsOf(master);
        master.pause();
        pause(ms);
        master.resume();
        cluster.awaitStable(STABLE);
        boolean failedOver = !cluster.masters().contains(master);
        String detail = "master " + master.port() + " stopped " + ms + " ms"
                + (failedOver ? ", replica promoted, slots=" + served : ", still master");
        return failedOver ? new FaultWindow(FaultWindow.FAILOVER, start, System.nanoTime(), detail)
                : new FaultWindow(FaultType.MASTER_SIGSTOP.name(), start, System.nanoTime() + FaultScheduler.EFFECT, detail);
    }

    /** SIGKILL of one master, its replica's promotion, the old node restarted empty as a replica. */
    private FaultWindow killMaster(long start) {
        RedisServer master = anyMaster();
        String served = slotsOf(master);
        cluster.killMaster(master);
        long killed = System.nanoTime();
        RedisServer promoted = cluster.awaitFailover(master, STABLE);
        long promotedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        master.restart();
        cluster.awaitStable(STABLE);
        return new FaultWindow(FaultWindow.FAILOVER, start, System.nanoTime(), "master " + master.port()
                + " killed, " + promoted.port() + " promoted after " + promotedAfter + " ms, old node back as a replica, slots="
                + served);
    }

    private RedisServer anyMaster() {
        List<RedisServer> masters = cluster.masters();
        return masters.get(random.nextInt(masters.size()));
    }

    /** The slots {@code master} serves now, {@code a-b+c-d}, from its own {@code CLUSTER NODES} line. */
    private String slotsOf(RedisServer master) {
        String id = cluster.nodeId(master);
        for (String row : master.commands().clusterNodes().split("\n")) {
            String[] fields = row.trim().split(" ");
            if (fields[0].equals(id)) {
                List<String> ranges = new ArrayList<>();
                for (int i = 8; i < fields.length; i++) {
                    if (!fields[i].startsWith("[")) {
                        ranges.add(fields[i].contains("-") ? fields[i] : fields[i] + "-" + fields[i]);
                    }
                }
                return String.join("+", ranges);
            }
        }
        throw new IllegalStateException(master + " does not list itself in CLUSTER NODES");
    }

    private static void pause(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }
}
