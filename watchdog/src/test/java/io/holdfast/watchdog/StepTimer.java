package io.holdfast.watchdog;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty {@link Timer} on a test's clock: tasks run only when the test moves the clock past their
 * time ({@link #advanceTo}), so a schedule is tested in clock steps, without sleeping.
 */
final class StepTimer implements Timer {

    final AtomicLong clock = new AtomicLong();
    private final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
        Task t = new Task(task, clock.get() + unit.toNanos(delay));
        tasks.add(t);
        return t;
    }

    /** Moves the clock to {@code nanos}, running every task due by then at its own time, in order. */
    void advanceTo(long nanos) {
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.at <= nanos).min((a, b) -> Long.compare(a.at, b.at)).orElse(null);
                if (next == null) {
                    clock.set(nanos);
                    return;
                }
                tasks.remove(next);
                clock.set(Math.max(clock.get(), next.at));
            }
            try {
                next.task.run(next);
            } catch (Exception e) {
                throw new IllegalStateException("timer task failed", e);
            }
        }
    }

    @Override
    public synchronized Set<Timeout> stop() {
        tasks.clear();
        return Set.of();
    }

    private final class Task implements Timeout {
        final TimerTask task;
        final long at;

        Task(TimerTask task, long at) {
            this.task = task;
            this.at = at;
        }

        @Override
        public Timer timer() {
            return StepTimer.this;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean cancel() {
            synchronized (StepTimer.this) {
                return tasks.remove(this);
            }
        }
    }
}
