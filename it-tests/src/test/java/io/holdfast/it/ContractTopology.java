package io.holdfast.it;

import io.holdfast.testkit.RedisServer;
import java.util.List;

/**
 * Where a contract suite's clients connect and where it looks: one redis-server by default; a
 * topology's extension (Sentinels, Cluster) implements it, and its contract classes return it from
 * {@link RLockContract#topology()}.
 */
public interface ContractTopology {

    /** The URI the clients connect with. */
    String uri();

    /** The server that holds the locks now (a topology's current master), for looks and faults. */
    RedisServer server();

    /** The server that holds {@code key} now: {@link #server()}; on a Cluster, the master of the key's slot. */
    default RedisServer serverOf(String key) {
        return server();
    }

    /** The Holdfast channels subscribed on the server(s) now ({@code PUBSUB CHANNELS holdfast:*}). */
    default List<String> subscribedChannels() {
        return server().commands().pubsubChannels("holdfast:*");
    }
}
