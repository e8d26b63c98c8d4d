package io.holdfast.bench;

import io.holdfast.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The five independent masters of the quorum scenarios: the bench's own Redis (master 0, the one
 * the probe and MONITOR watch) and four more throwaway {@code redis-server}s, started by the first
 * quorum scenario of a run and stopped by {@link #close()} at the end of the run.
 */
final class QuorumServers {

    /** Masters of the quorum lock. */
    static final int MASTERS = 5;

    private static final List<RedisServer> EXTRA = new ArrayList<>();

    private QuorumServers() {
    }

    /** The URIs of the five masters, master 0 first (the bench's own Redis). */
    static synchronized List<String> uris(Bench bench) {
        while (EXTRA.size() < MASTERS - 1) {
            EXTRA.add(RedisServer.start());
        }
        List<String> uris = new ArrayList<>();
        uris.add(bench.uri());
        EXTRA.forEach(s -> uris.add(s.uri()));
        return uris;
    }

    /** Empties the extra masters between rounds (the bench's own Redis is flushed by the run). */
    static synchronized void flush() {
        EXTRA.forEach(s -> s.commands().flushall());
    }

    /** Stops the extra masters, if a quorum scenario started them. */
    static synchronized void close() {
        EXTRA.forEach(RedisServer::close);
        EXTRA.clear();
    }
}
