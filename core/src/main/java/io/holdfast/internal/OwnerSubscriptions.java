package io.holdfast.internal;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import reactor.core.Disposable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic pub/sub on a Redis Cluster without sharded pub/sub (Redis before 7): each channel is
 * subscribed on the master that owns its slot, where the lock's scripts {@code PUBLISH}.
 *
 * <p>Why: a classic message reaches every node of a Cluster over the cluster bus, so a subscription
 * on any node hears it, and that stays the safety net here; but the bus's node-to-node connections
 * do not disable Nagle's algorithm (valkey-io/valkey#1758), and a wake-up that crossed the bus came
 * up to 40 ms late: on a 6.2 Cluster, 8 threads taking turns on one lock needed 7 to 9 s for 1,200
 * turns where a subscription on the owner needs 2.3 s, as on Redis 7 with sharded pub/sub.
 *
 * <p>How: Lettuce's cluster pub/sub connection keeps a connection per node
 * ({@link StatefulRedisClusterPubSubConnection#getConnectionAsync(String)}); with node message
 * propagation on, their messages and confirmations reach the hub's listener as the main
 * connection's do, and Lettuce subscribes a node connection's channels again after it reconnects
 * (the confirmation then wakes the channel's waiters, see {@link PubSubHub}). A channel is
 * subscribed on its owner only if the connection to that node is open already; otherwise on the
 * main connection (over the bus, as before), and the node's connection is opened for next time.
 * Connections to every master are opened at start and whenever the slot map changes; a channel
 * whose slot's master is no longer where it was subscribed is subscribed again there (and
 * unsubscribed where it was), or, while that master's connection is still opening, on the main
 * connection until it is open (the node it was on may be a failed master, whose connection hears
 * nothing). On the main connection its waiters hear the bus.
 *
 * <p>Concurrency: the hub calls {@link #subscribe} and {@link #unsubscribe} for one channel one at
 * a time; {@link #subscribedOn} is only written there.
 */
final class OwnerSubscriptions implements PubSubHub.Subscriptions {

    private static final Logger log = LoggerFactory.getLogger(OwnerSubscriptions.class);

    /** Where a channel subscribed on the main connection is, in {@link #subscribedOn}. */
    private static final String MAIN = "";

    private final StatefulRedisClusterPubSubConnection<String, String> pubSub;
    /** Channel -> id of the node whose connection subscribed it, or {@link #MAIN}. */
    private final Map<String, String> subscribedOn = new ConcurrentHashMap<>();

    OwnerSubscriptions(StatefulRedisClusterPubSubConnection<String, String> pubSub) {
        this.pubSub = pubSub;
        pubSub.setNodeMessagePropagation(true);
    }

    /**
     * Opens the connections to the masters and follows slot moves for {@code hub}'s channels from
     * now on, until the returned subscription to the event bus is disposed.
     */
    Disposable start(PubSubHub hub, RedisClusterClient client) {
        openToMasters(hub);
        return ClusterLink.onEvents(client.getResources(), event -> {
            if (event instanceof ClusterTopologyChangedEvent) {
                openToMasters(hub);
                followMoves(hub);
            }
        });
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        RedisClusterNode owner = ownerOf(channel);
        StatefulRedisPubSubConnection<String, String> there = owner == null ? null : openConnection(owner.getNodeId());
        String target = there == null ? MAIN : owner.getNodeId();
        String before = subscribedOn.put(channel, target);
        if (before != null && !before.equals(target)) {
            unsubscribeAt(before, channel);
        }
        StatefulRedisPubSubConnection<String, String> on = there == null ? pubSub : there;
        return on.async().subscribe(channel).toCompletableFuture();
    }

    @Override
    public void unsubscribe(String channel) {
        String on = subscribedOn.remove(channel);
        unsubscribeAt(on == null ? MAIN : on, channel);
    }

    /**
     * Subscribes again, through {@code hub}, every channel whose slot's master is not where it was
     * subscribed: on that master if its connection is open, else on the main connection for now (the
     * node it was on may be down for good: a failed master; the bus then reaches the main
     * connection's node). A channel already on the main connection stays there until the owner's
     * connection is open, when this runs again ({@link #openToMasters}).
     */
    private void followMoves(PubSubHub hub) {
        for (String channel : hub.channels()) {
            RedisClusterNode owner = ownerOf(channel);
            String on = subscribedOn.get(channel);
            if (owner == null || on == null || owner.getNodeId().equals(on)) {
                continue;
            }
            if (openConnection(owner.getNodeId()) != null || !MAIN.equals(on)) {
                log.debug("the slot of {} is served by {} now; subscribing again", channel, owner.getUri());
                hub.resubscribe(channel);
            }
        }
    }

    /**
     * Unsubscribes {@code channel} on the connection that subscribed it, even while that connection
     * reconnects (the command waits for it; else the reconnect would subscribe it again).
     */
    private void unsubscribeAt(String node, String channel) {
        StatefulRedisPubSubConnection<String, String> on = MAIN.equals(node) ? pubSub : connectionTo(node);
        if (on != null) { // else the node left the slot map: its connection, and the subscription, are gone
            on.async().unsubscribe(channel);
        }
    }

    private RedisClusterNode ownerOf(String channel) {
        return pubSub.getPartitions().getPartitionBySlot(SlotHash.getSlot(channel));
    }

    /**
     * The open pub/sub connection to node {@code nodeId}, or null if it is not open yet (then it is
     * being opened) or the node is not in the slot map. Never waits: the hub calls this on I/O
     * threads too.
     */
    private StatefulRedisPubSubConnection<String, String> openConnection(String nodeId) {
        StatefulRedisPubSubConnection<String, String> c = connectionTo(nodeId);
        return c != null && c.isOpen() ? c : null;
    }

    /** The connection to node {@code nodeId} once made (open or reconnecting), or null. Never waits. */
    private StatefulRedisPubSubConnection<String, String> connectionTo(String nodeId) {
        CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting = connecting(nodeId);
        return connecting != null && connecting.isDone() && !connecting.isCompletedExceptionally()
                ? connecting.join() : null;
    }

    /** Lettuce's connection to node {@code nodeId}, made or being made (asking opens it), or null if the node is not in the slot map. */
    private CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting(String nodeId) {
        try {
            return pubSub.getConnectionAsync(nodeId);
        } catch (RuntimeException notInTheMap) {
            return null;
        }
    }

    /**
     * Opens the connection to every master not connected yet; when one opens, channels waiting on
     * the main connection for it (or on a node that lost their slot) move to it.
     */
    private void openToMasters(PubSubHub hub) {
        for (RedisClusterNode node : pubSub.getPartitions()) {
            if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                continue;
            }
            CompletableFuture<StatefulRedisPubSubConnection<String, String>> connecting = connecting(node.getNodeId());
            if (connecting != null && !connecting.isDone()) {
                connecting.whenComplete((c, failed) -> {
                    if (failed == null) {
                        followMoves(hub);
                    }
                });
            }
        }
    }
}
