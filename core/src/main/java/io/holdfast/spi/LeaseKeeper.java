package io.holdfast.spi;

/** Keeps {@link Renewable}s alive until cancelled: the watchdog, as core sees it. */
public interface LeaseKeeper extends AutoCloseable {

    /** Starts renewing {@code item} every third of its lease. */
    void register(Renewable item);

    /** Stops renewing {@code item}; it is not renewed again after this returns, nor reported gone. */
    void cancel(Renewable item);

    /** How many items are being renewed now. */
    int size();

    /** Stops every renewal. */
    @Override
    void close();
}
