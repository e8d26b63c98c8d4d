package io.holdfast.fair;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A real Redis, clients and owner threads for the fair-lock tests; everything is closed after each test. */
abstract class FairFixture {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A client with the default fair waiter timeout. */
    protected Holdfast client() {
        return client(HoldfastOptions.builder(redis.uri()).build());
    }

    protected Holdfast client(Duration fairWaiterTimeout) {
        return client(HoldfastOptions.builder(redis.uri()).fairWaiterTimeout(fairWaiterTimeout).build());
    }

    protected Holdfast client(HoldfastOptions options) {
        Holdfast h = Holdfast.connect(options);
        closeables.add(h);
        return h;
    }

    protected OwnerThread thread(String name) {
        OwnerThread t = new OwnerThread(name);
        closeables.add(t);
        return t;
    }

    protected <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    protected FairQueueProbe probe(String lockName) {
        return new FairQueueProbe(redis.commands(), lockName);
    }

    /** The holder id of {@code thread}'s calls through {@code client}. */
    protected static String holderId(Holdfast client, OwnerThread thread) {
        return client.clientId() + ":" + thread.threadId();
    }

    /** Closes the newest first: threads before the clients they use. */
    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }
}
