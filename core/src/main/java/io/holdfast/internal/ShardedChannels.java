package io.holdfast.internal;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import reactor.core.Disposable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client's sharded subscriptions on the node that owns each channel's slot.
 *
 * <p>Lettuce sends an {@code SSUBSCRIBE} to the master of the channel's slot, and after a
 * reconnect subscribes that node connection's channels again, all in one command, which a Cluster
 * refuses ({@code CROSSSLOT}) when they are of several slots; it does not move a subscription when
 * its slot moves. So this class remembers on which node each channel was confirmed
 * ({@code ssubscribed}), and subscribes a channel again ({@link PubSubHub#resubscribe}) when
 * <ul>
 * <li>the slot map changed (a failover, a migration) and its slot's master is now another node;</li>
 * <li>a connection to the node it was on came back (the node restarted, or the link dropped).</li>
 * </ul>
 * A migration also ends the subscriptions on the old node from the server's side
 * ({@code sunsubscribe}); {@link PubSubHub} subscribes again at once then. Each confirmation of a
 * channel after the first wakes its waiters, since a release may have gone unheard meanwhile.
 */
final class ShardedChannels {

    private static final Logger log = LoggerFactory.getLogger(ShardedChannels.class);

    private final PubSubHub hub;
    private final StatefulRedisClusterPubSubConnection<String, String> pubSub;
    private final RedisClusterClient client;
    /** Channel -> id of the node that last confirmed its subscription. */
    private final Map<String, String> confirmedOn = new ConcurrentHashMap<>();

    ShardedChannels(PubSubHub hub, StatefulRedisClusterPubSubConnection<String, String> pubSub,
            RedisClusterClient client) {
        this.hub = hub;
        this.pubSub = pubSub;
        this.client = client;
    }

    /** Starts following; the returned subscription to the event bus ends it. */
    Disposable start() {
        pubSub.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void ssubscribed(RedisClusterNode node, String channel, long count) {
                if (node != null) {
                    confirmedOn.put(channel, node.getNodeId());
                }
            }

            @Override
            public void sunsubscribed(RedisClusterNode node, String channel, long count) {
                if (node != null) {
                    confirmedOn.remove(channel, node.getNodeId());
                }
            }
        });
        return ClusterLink.onEvents(client.getResources(), event -> {
            if (event instanceof ClusterTopologyChangedEvent) {
                followMoves();
            } else if (event instanceof ConnectionActivatedEvent activated) {
                resubscribeAt(String.valueOf(activated.remoteAddress()));
            }
        });
    }

    /**
     * Subscribes again every channel whose slot's master is not the node that confirmed it (or that
     * no node confirmed yet: its subscription may have gone to a master that failed).
     */
    void followMoves() {
        for (String channel : hub.channels()) {
            RedisClusterNode owner = client.getPartitions().getPartitionBySlot(SlotHash.getSlot(channel));
            String on = confirmedOn.get(channel);
            if (owner != null && !owner.getNodeId().equals(on)) {
                log.debug("the slot of {} moved to {}; subscribing there", channel, owner.getUri());
                hub.resubscribe(channel);
            }
        }
    }

    /** Subscribes again, one by one, the channels confirmed on the node at {@code address}. */
    private void resubscribeAt(String address) {
        for (RedisClusterNode node : client.getPartitions()) {
            if (node.getUri() == null || !address.endsWith(":" + node.getUri().getPort())
                    || !address.contains(node.getUri().getHost())) {
                continue;
            }
            confirmedOn.forEach((channel, id) -> {
                if (id.equals(node.getNodeId())) {
                    hub.resubscribe(channel);
                }
            });
        }
    }
}
