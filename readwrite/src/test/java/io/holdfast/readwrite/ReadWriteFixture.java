package io.holdfast.readwrite;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RReadWriteLock;
import io.holdfast.testkit.OwnerThread;
import io.holdfast.testkit.RedisServerExtension;
import io.lettuce.core.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared setup of the read-write lock tests: a real Redis, three clients with a short watchdog
 * lease, owner threads, and raw looks at the lock's keys. Published in this module's test jar
 * for the cross-module tests in {@code it-tests}.
 */
public abstract class ReadWriteFixture {

    @RegisterExtension
    protected static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    /** Short watchdog lease so that renewal and expiry happen within a test. */
    protected static final Duration LEASE = Duration.ofMillis(900);

    protected Holdfast a;
    protected Holdfast b;
    protected Holdfast c;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void connect() {
        a = client(LEASE);
        b = client(LEASE);
        c = client(LEASE);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    protected Holdfast client(Duration watchdogLease) {
        Holdfast h = Holdfast.connect(HoldfastOptions.builder(redis.uri()).watchdogLease(watchdogLease).build());
        closeables.add(h);
        return h;
    }

    protected OwnerThread thread(String name) {
        OwnerThread t = new OwnerThread(name);
        closeables.add(t);
        return t;
    }

    protected static RReadWriteLock rw(Holdfast client, String name) {
        return client.getReadWriteLock(name);
    }

    /** The holder id of thread {@code threadId} in {@code client}. */
    protected static String holder(Holdfast client, long threadId) {
        return client.clientId() + ":" + threadId;
    }

    protected static String key(String name) {
        return "holdfast:{" + name + "}";
    }

    /** How many writers have a live intent on lock {@code name}. */
    protected static long waitingWriters(String name) {
        return redis.commands().zcount(key(name) + ":intents", Range.create(serverMillis() + 1.0, Double.MAX_VALUE));
    }

    /** Whether hold {@code member} ("r:" or "w:" + holder id) is alive on the server. */
    protected static boolean holdAlive(String name, String member) {
        Double deadline = redis.commands().zscore(key(name) + ":leases", member);
        return deadline != null && deadline > serverMillis();
    }

    protected static long serverMillis() {
        List<String> time = redis.commands().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    /** Calls of {@code command} the server has counted so far (INFO commandstats). */
    protected static long commandCalls(String command) {
        String info = redis.commands().info("commandstats");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
                    if (field.startsWith("calls=")) {
                        return Long.parseLong(field.substring(6));
                    }
                }
            }
        }
        return 0;
    }

    protected static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

}
