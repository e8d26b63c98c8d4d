package io.holdfast.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several client instances of one library in this JVM (each its own connections and threads, as
 * separate processes would have), each with a {@link Counter} connection for its critical sections.
 */
final class Clients implements AutoCloseable {

    static final String COUNTER_KEY = "bench:counter";

    private final List<LockClient> locks = new ArrayList<>();
    private final List<Counter> counters = new ArrayList<>();

    Clients(Library library, Bench bench, int count, Duration lease) {
        try {
            for (int i = 0; i < count; i++) {
                locks.add(library.connect(bench.uri(), lease));
                counters.add(new Counter(bench.uri(), COUNTER_KEY));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Client {@code i}, modulo the number of clients. */
    LockClient lock(int i) {
        return locks.get(i % locks.size());
    }

    /** Client {@code i}'s counter connection, modulo the number of clients. */
    Counter counter(int i) {
        return counters.get(i % counters.size());
    }

    @Override
    public void close() {
        locks.forEach(LockClient::close);
        counters.forEach(Counter::close);
    }
}
