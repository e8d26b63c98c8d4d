package io.holdfast.spi;

import java.util.List;

/**
 * Something the watchdog keeps alive on the server: a hold's lease, or a fair-lock waiter's place.
 *
 * <p>Items with the same {@link #renewScript()} and lease (on a Cluster: and slot) are renewed together by one
 * call of the script, which receives {@code KEYS} = every item's {@link #renewKeys()} one after
 * another (each item has the same number of keys), {@code ARGV[1]} = lease in milliseconds,
 * {@code ARGV[2]} = keys per item, {@code ARGV[2 + i]} = item i's {@link #renewArg()}; it returns
 * one integer per item: 1 renewed, 0 gone.
 */
public interface Renewable {

    /**
     * The script that renews it now. It may change while the item is registered (a hold switches to
     * a script that never shortens its lease once a re-entry asks for a longer one). When a batch
     * answers, the watchdog renews each of its items whose script changed meanwhile once more, at
     * once, with the new script and to the item's {@link #validUntilNanos()}: the old script may
     * have run after the change and cut a longer lease short. This relies on the client's one
     * connection answering in order, so that the change's own reply has been read by then.
     */
    Script renewScript();

    List<String> renewKeys();

    String renewArg();

    /**
     * The lease the script sets; the watchdog renews the item once between 1/2 and 7/12 of it after
     * its last renewal (see the watchdog's Javadoc).
     */
    long leaseMillis();

    /**
     * The instant, on the client's {@link ClientContext#ticker() ticker}, after which the server may
     * have dropped the item.
     */
    long validUntilNanos();

    /** The script renewed it; the call was sent at {@code sentNanos}. */
    void renewed(long sentNanos);

    /**
     * Whether whoever the item is kept alive for still lives (e.g. a hold's owner thread). An item
     * whose holder is gone is not renewed again: the watchdog reports it {@link #gone} instead.
     */
    default boolean holderAlive() {
        return true;
    }

    /** The server no longer has it, or it was not renewed before its deadline. */
    void gone(String reason);
}
