package io.holdfast.spi;

/** Keeps {@link Renewable}s alive until cancelled: the watchdog, as core sees it. */
public interface LeaseKeeper extends AutoCloseable {

    /** Starts renewing {@code item}: about every half of its lease (at least before 7/12 of it elapses). */
    void register(Renewable item);

    /**
     * Stops renewing {@code item}: no sweep that starts after this returns renews it or reports it
     * gone. A sweep already running that took the item out just before may still report it gone,
     * once, just after this returns (jcstress {@code WatchdogCancelRaceTest}); every
     * {@link Renewable} ignores a report for an item it no longer tracks.
     */
    void cancel(Renewable item);

    /** How many items are being renewed now. */
    int size();

    /** Stops every renewal. */
    @Override
    void close();
}
