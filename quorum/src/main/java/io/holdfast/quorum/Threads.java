package io.holdfast.quorum;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon threads of the group locks: one scheduler and a pool for user code per owner. */
final class Threads {

    private Threads() {
    }

    /** One scheduler thread: member cut-offs, back-offs and thread sweeps are short tasks. */
    static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> daemon(r, name));
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** Threads user code (futures, listeners) and the parallel member queries run on. */
    static ExecutorService callbacks(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> daemon(r, prefix + "-" + n.incrementAndGet()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
