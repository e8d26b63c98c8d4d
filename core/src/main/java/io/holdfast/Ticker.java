package io.holdfast;

/**
 * A source of monotonic time in nanoseconds: the one clock a {@link Holdfast} client measures
 * waits, lease validity and renewal deadlines with. Only differences between two readings of the
 * same ticker mean anything (as with {@link System#nanoTime()}); readings of different tickers are
 * not comparable.
 *
 * <p>Set with {@link HoldfastOptions.Builder#ticker(Ticker)}; the default, {@link #system()}, is
 * what an application wants. Tests give a ticker they move by hand, so that timing logic runs
 * without sleeping.
 */
@FunctionalInterface
public interface Ticker {

    /**
     * The current reading, in nanoseconds; never smaller than an earlier reading of this ticker.
     * Must be cheap and must not block: it is read on Redis I/O threads and timer threads.
     *
     * @return the reading, in nanoseconds from an arbitrary origin
     */
    long nanoTime();

    /**
     * The ticker backed by {@link System#nanoTime()}.
     *
     * @return the system ticker
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
