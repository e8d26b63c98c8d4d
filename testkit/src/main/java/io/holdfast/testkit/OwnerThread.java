package io.holdfast.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A thread of its own, to be a second lock owner in a test: calls run on it one at a time.
 *
 * <p>With the system property {@value #VIRTUAL_PROPERTY}{@code =true} (on Java 21+) the thread is a
 * virtual thread, so that a contract suite written with owner threads runs with virtual-thread
 * callers unchanged; otherwise a daemon platform thread.
 */
public final class OwnerThread implements AutoCloseable {

    /** The system property that makes owner threads virtual. */
    public static final String VIRTUAL_PROPERTY = "holdfast.test.virtualThreads";

    private final ExecutorService executor;
    private volatile long threadId;

    public OwnerThread(String name) {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = newThread(name, r);
            threadId = t.getId();
            return t;
        });
        call(() -> null); // start the thread so that its id is known
    }

    /**
     * An unstarted thread running {@code task}: virtual if {@value #VIRTUAL_PROPERTY} is set (see the
     * class comment), else a daemon platform thread.
     *
     * @throws IllegalStateException if virtual threads are asked for on a Java without them
     */
    public static Thread newThread(String name, Runnable task) {
        if (Boolean.getBoolean(VIRTUAL_PROPERTY)) {
            return VirtualThreads.factory(name).newThread(task);
        }
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    public long threadId() {
        return threadId;
    }

    /** Runs {@code task} on the thread and waits (10 s at most) for its result. */
    public <T> T call(Callable<T> task) {
        return call(Duration.ofSeconds(10), task);
    }

    /**
     * Runs {@code task} on the thread and waits at most {@code deadline} for its result: for a task
     * whose length is a loop of lock operations, not one call.
     */
    public <T> T call(Duration deadline, Callable<T> task) {
        try {
            return executor.submit(task).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public void run(ThrowingRunnable task) {
        run(Duration.ofSeconds(10), task);
    }

    /** {@link #run(ThrowingRunnable)} with a deadline of its own (see {@link #call(Duration, Callable)}). */
    public void run(Duration deadline, ThrowingRunnable task) {
        call(deadline, () -> {
            task.run();
            return null;
        });
    }

    /** Starts {@code task} on the thread without waiting. */
    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
