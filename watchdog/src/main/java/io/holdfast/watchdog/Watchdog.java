package io.holdfast.watchdog;

import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import io.netty.util.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps leases alive with batched renewals on the client's Netty timer.
 *
 * <p>Only for live holders: an item whose holder has ended (a thread that died holding a lock) is
 * dropped and reported gone at the next sweep instead of being renewed; its lease then runs out.
 *
 * <p>Renewal: items are grouped by lease length (every watchdog hold of a client has the same
 * lease; fair-lock queue places have their own). Each group sweeps every third of its lease while
 * it has items. A sweep reports items past their deadline as gone, skips items acquired or renewed
 * in the last sixth of a lease (their lease is fresh), and renews the rest with one script call
 * per batch of up to {@value #BATCH} items of the same script (and, on a Cluster, the same slot;
 * on one standalone server every key is in one "slot", so one call renews 256 locks of any names). A reply of 0 for
 * an item means the server no longer has it: the item is reported gone at once.
 *
 * <p>Failure: when a batch fails (Redis unreachable, timeout), its items stay registered and the
 * group sweeps again after a tenth of the lease; an item whose deadline passes before a renewal
 * succeeds is reported gone ("not renewed in time").
 *
 * <p>Concurrency: {@link #register} and {@link #cancel} only touch a concurrent set, so they never
 * wait for a sweep. A cancelled item is not renewed by later sweeps and not reported by a sweep in
 * flight (its reply is checked against the set); a renewal already on the wire may still extend a
 * key, which is harmless because the script only extends a hold that still exists.
 */
public final class Watchdog implements LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    static final int BATCH = 256;

    private final Timer timer;
    private final RenewalSender sender;
    private final ToIntFunction<String> slotOf;
    private final Map<Long, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param slotOf the Cluster slot of a key, for grouping batches; a client of one standalone
     *     server passes {@code key -> 0}, so that one call renews up to {@value #BATCH} leases of
     *     any locks (grouping by slot there would cost one call per lock name)
     */
    public Watchdog(Timer timer, RenewalSender sender, ToIntFunction<String> slotOf) {
        this.timer = timer;
        this.sender = sender;
        this.slotOf = slotOf;
    }

    @Override
    public void register(Renewable item) {
        if (closed) {
            return;
        }
        Group g = groups.computeIfAbsent(item.leaseMillis(), Group::new);
        g.items.add(item);
        g.ensureScheduled();
        g.renewEarlyIfShort(item);
    }

    @Override
    public void cancel(Renewable item) {
        Group g = groups.get(item.leaseMillis());
        if (g != null) {
            g.items.remove(item);
        }
    }

    @Override
    public int size() {
        return groups.values().stream().mapToInt(g -> g.items.size()).sum();
    }

    @Override
    public void close() {
        closed = true;
        groups.values().forEach(g -> g.items.clear());
    }

    /** The items of one lease length and their sweep schedule. */
    private final class Group {
        final long leaseMillis;
        final long periodMillis;
        final Set<Renewable> items = ConcurrentHashMap.newKeySet();
        final AtomicBoolean scheduled = new AtomicBoolean();

        Group(long leaseMillis) {
            this.leaseMillis = leaseMillis;
            this.periodMillis = Math.max(1, leaseMillis / 3);
        }

        /**
         * An item that comes in with less time left than the next sweeps surely leave it (a fair
         * hand-over grants a first lease of only the waiter timeout) is renewed once on its own, at
         * half of what it has left; from then on the sweeps keep it.
         */
        void renewEarlyIfShort(Renewable item) {
            long left = item.validUntilNanos() - System.nanoTime();
            if (left <= 0 || left >= TimeUnit.MILLISECONDS.toNanos(periodMillis) * 3 / 2) {
                return; // expired already: the next sweep reports it gone
            }
            timer.newTimeout(t -> renewAlone(item), Math.max(1, left / 2), TimeUnit.NANOSECONDS);
        }

        private void renewAlone(Renewable item) {
            if (closed || !items.contains(item)) {
                return;
            }
            long sent = System.nanoTime();
            sender.send(item.renewScript(), leaseMillis, List.of(item)).whenComplete((renewed, error) -> {
                if (error != null) {
                    log.debug("early renewal of {} failed; retrying", item, error);
                    renewEarlyIfShort(item); // or the next sweep reports it gone once its time is up
                } else if (renewed[0]) {
                    item.renewed(sent);
                } else if (items.remove(item)) {
                    item.gone("the server no longer has it (lease expired or key deleted)");
                }
            });
        }

        void ensureScheduled() {
            if (!items.isEmpty() && scheduled.compareAndSet(false, true)) {
                schedule(periodMillis);
            }
        }

        void schedule(long delayMillis) {
            if (closed) {
                scheduled.set(false);
                return;
            }
            timer.newTimeout(t -> sweep(), delayMillis, TimeUnit.MILLISECONDS);
        }

        void sweep() {
            if (items.isEmpty() || closed) {
                scheduled.set(false);
                ensureScheduled(); // an item may have come in after the emptiness check
                return;
            }
            long now = System.nanoTime();
            long freshNanos = TimeUnit.MILLISECONDS.toNanos(leaseMillis) * 5 / 6;
            Map<Script, Map<Integer, List<Renewable>>> due = new HashMap<>();
            for (Renewable item : items) {
                long left = item.validUntilNanos() - now;
                if (!item.holderAlive()) {
                    items.remove(item);
                    item.gone("its owner ended without unlocking; renewal stopped, the lease runs out on the server");
                } else if (left <= 0) {
                    items.remove(item);
                    item.gone("not renewed before its lease of " + leaseMillis + " ms ran out (Redis unreachable?)");
                } else if (left < freshNanos) {
                    int slot = slotOf.applyAsInt(item.renewKeys().get(0));
                    due.computeIfAbsent(item.renewScript(), s -> new HashMap<>())
                            .computeIfAbsent(slot, s -> new ArrayList<>()).add(item);
                }
            }
            Outcome outcome = new Outcome();
            due.forEach((script, bySlot) -> bySlot.values().forEach(list -> {
                for (int from = 0; from < list.size(); from += BATCH) {
                    send(script, list.subList(from, Math.min(list.size(), from + BATCH)), outcome);
                }
            }));
            outcome.sweepSent();
        }

        void send(Script script, List<Renewable> batch, Outcome outcome) {
            outcome.batchSent();
            long sent = System.nanoTime();
            sender.send(script, leaseMillis, batch).whenComplete((renewed, error) -> {
                if (error != null) {
                    log.debug("renewal of {} leases failed; retrying soon", batch.size(), error);
                    outcome.batchDone(false);
                    return;
                }
                for (int i = 0; i < renewed.length; i++) {
                    Renewable item = batch.get(i);
                    if (renewed[i]) {
                        item.renewed(sent);
                    } else if (items.remove(item)) {
                        item.gone("the server no longer has it (lease expired or key deleted)");
                    }
                }
                log.debug("renewed {} of {} leases", batch.size(), leaseMillis);
                outcome.batchDone(true);
            });
        }

        /** Schedules the next sweep once every batch of this one has answered. */
        private final class Outcome {
            private int pending = 1;
            private boolean failed;

            synchronized void batchSent() {
                pending++;
            }

            void sweepSent() {
                batchDone(true);
            }

            void batchDone(boolean ok) {
                boolean last;
                synchronized (this) {
                    failed |= !ok;
                    last = --pending == 0;
                }
                if (last) {
                    schedule(failed ? Math.max(50, leaseMillis / 10) : periodMillis);
                }
            }
        }
    }
}
