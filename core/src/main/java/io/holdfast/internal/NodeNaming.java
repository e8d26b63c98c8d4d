package io.holdfast.internal;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Names every connection a Cluster client opens or re-opens after connect ({@code CLIENT SETNAME},
 * see {@link ClientIdentity}): a node's command connection that came back after the server or the
 * network dropped it, one Lettuce opens to a node it did not use before (after a failover or a slot
 * move), the sharded pub/sub connection a first waiter opens to a lock's master.
 *
 * <p>Lettuce also opens a connection to every node at each topology refresh (it names them
 * {@code lettuce#ClusterTopologyRefresh} itself) and closes it when the refresh is done; naming
 * those again would cost another command per node every refresh. So a connection is
 * named {@link #DELAY_MILLIS} ms after it connected, and only if it is still open then: a refresh
 * has finished by then (each node has at most {@link ClusterLink#SEED_TIMEOUT_MILLIS} ms to
 * answer). A connection is thus unnamed for its first {@value #DELAY_MILLIS} ms.
 */
final class NodeNaming implements RedisConnectionStateListener {

    static final long DELAY_MILLIS = 2 * ClusterLink.SEED_TIMEOUT_MILLIS;

    private final ClientIdentity identity;
    private final EventExecutorGroup executor;

    NodeNaming(ClientIdentity identity, EventExecutorGroup executor) {
        this.identity = identity;
        this.executor = executor;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress at) {
        try {
            executor.schedule(() -> name(connection, at), DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the client is closing
        }
    }

    @SuppressWarnings("unchecked")
    private void name(RedisChannelHandler<?, ?> connection, SocketAddress at) {
        if (!connection.isOpen()) {
            return; // a topology refresh's, closed again
        }
        if (connection instanceof StatefulRedisConnection<?, ?> node) {
            identity.name(((StatefulRedisConnection<String, String>) node).async(), "node " + at);
        } else if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            // its own channel came back: Lettuce sends the name to every node connection too
            identity.name(((StatefulRedisClusterConnection<String, String>) cluster).async(), "command");
        }
    }
}
