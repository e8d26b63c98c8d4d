package io.holdfast.stress;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Netty {@link Timer} that runs nothing by itself: tasks wait in arrival order until a test
 * actor fires them, so a stress test decides exactly when a watchdog sweep runs.
 */
final class ManualTimer implements Timer {

    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

    @Override
    public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        Pending p = new Pending(task);
        pending.add(p);
        return p;
    }

    /** Runs the oldest pending task (not the ones it schedules); false if there was none. */
    boolean fireOne() {
        Pending p = pending.poll();
        if (p == null) {
            return false;
        }
        p.run();
        return true;
    }

    /** Tasks scheduled and neither fired nor cancelled. */
    int pending() {
        return (int) pending.stream().filter(p -> !p.isCancelled()).count();
    }

    @Override
    public Set<Timeout> stop() {
        pending.clear();
        return Set.of();
    }

    private final class Pending implements Timeout {
        private final TimerTask task;
        private volatile boolean cancelled;
        private volatile boolean expired;

        Pending(TimerTask task) {
            this.task = task;
        }

        void run() {
            if (cancelled) {
                return;
            }
            expired = true;
            try {
                task.run(this);
            } catch (Exception e) {
                throw new IllegalStateException("timer task failed", e);
            }
        }

        @Override
        public Timer timer() {
            return ManualTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            cancelled = true;
            return pending.remove(this);
        }
    }
}
