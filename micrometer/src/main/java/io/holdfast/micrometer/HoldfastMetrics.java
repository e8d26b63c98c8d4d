package io.holdfast.micrometer;

import io.holdfast.HoldfastObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Micrometer meters of one or more Holdfast clients: give it to the client as its observer, and bind
 * it to a registry.
 *
 * <pre>{@code
 * HoldfastMetrics metrics = HoldfastMetrics.create();
 * Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(uri).observer(metrics).build());
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@value #WAIT}</td><td>timer</td><td>kind, outcome</td><td>how long fresh acquisitions took,
 *     by how they ended ({@code acquired}, {@code timed_out}, {@code interrupted}, {@code failed})</td></tr>
 * <tr><td>{@value #HELD}</td><td>timer</td><td>kind</td><td>how long holds were held, grant to release</td></tr>
 * <tr><td>{@value #HOLDS}</td><td>gauge</td><td>kind</td><td>holds now: acquired, neither released nor lost</td></tr>
 * <tr><td>{@value #WAITERS}</td><td>gauge</td><td>kind</td><td>acquisitions in progress now</td></tr>
 * <tr><td>{@value #RENEWALS}</td><td>counter</td><td>result</td><td>leases the watchdog renewed ({@code renewed}),
 *     found gone ({@code gone}), or failed to renew and will retry ({@code failed})</td></tr>
 * <tr><td>{@value #RENEWAL_ROUND_TRIP}</td><td>timer</td><td></td><td>round trip of one renewal batch (one script call)</td></tr>
 * <tr><td>{@value #LOST}</td><td>counter</td><td>kind, cause</td><td>holds lost, by
 *     {@link HoldfastObserver.LossCause} in lower case</td></tr>
 * <tr><td>{@value #HANDOVERS}</td><td>counter</td><td>kind</td><td>locks handed to a waiter of this client by a release</td></tr>
 * </table>
 *
 * <p>{@code kind} is {@code exclusive}, {@code fair}, {@code read} or {@code write}. The tags are few
 * by design: no lock name, since an application may use millions. To tell locks apart, give
 * {@link Builder#lockNameTag} a function that maps a name to one of a few values (e.g. the part
 * before the first colon); the timers and counters of a lock then carry it as tag {@code lock}
 * (the gauges never do).
 *
 * <p>Events are recorded on the client's callback executor (see {@link HoldfastObserver}), so a
 * meter may trail the lock by a moment. The gauges count from the moment the client was connected
 * with this observer; a closed client's holds stay counted. Events that come before
 * {@link #bindTo} only move the gauges. Thread-safe; one instance may observe several clients and
 * be bound to several registries.
 */
public final class HoldfastMetrics implements HoldfastObserver, MeterBinder {

    /** Timer of fresh acquisitions. */
    public static final String WAIT = "holdfast.lock.wait";
    /** Timer of holds, grant to release. */
    public static final String HELD = "holdfast.lock.held";
    /** Gauge of holds now. */
    public static final String HOLDS = "holdfast.lock.holds";
    /** Gauge of acquisitions in progress now. */
    public static final String WAITERS = "holdfast.lock.waiters";
    /** Counter of lease renewals. */
    public static final String RENEWALS = "holdfast.lease.renewals";
    /** Timer of renewal batches' round trips. */
    public static final String RENEWAL_ROUND_TRIP = "holdfast.lease.renewal.round.trip";
    /** Counter of lost holds. */
    public static final String LOST = "holdfast.lease.lost";
    /** Counter of hand-overs received. */
    public static final String HANDOVERS = "holdfast.lock.handovers";

    /** The kinds whose gauges exist from the start. */
    private static final List<String> KINDS = List.of("exclusive", "fair", "read", "write");

    private final Tags tags;
    private final Function<String, String> lockNameTag;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> waiters = new ConcurrentHashMap<>();

    private HoldfastMetrics(Builder b) {
        this.tags = b.tags;
        this.lockNameTag = b.lockNameTag;
        KINDS.forEach(this::gaugesOf);
    }

    /**
     * Metrics with the default tags only (no lock names, no common tags).
     *
     * @return the metrics
     */
    public static HoldfastMetrics create() {
        return builder().build();
    }

    /**
     * Starts metrics with tags of the user's choice.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (registries.contains(registry)) {
            return;
        }
        registries.add(registry);
        holds.keySet().forEach(kind -> registerGauges(registry, kind));
    }

    // --- HoldfastObserver ---

    @Override
    public void acquisitionStarted(String lockName, String kind) {
        gaugesOf(kind);
        waiters.get(kind).incrementAndGet();
    }

    @Override
    public void acquisitionFinished(String lockName, String kind, Outcome outcome, long waitNanos) {
        gaugesOf(kind);
        waiters.get(kind).decrementAndGet();
        if (outcome == Outcome.ACQUIRED) {
            holds.get(kind).incrementAndGet();
        }
        Tags t = lockTags(lockName, kind).and("outcome", lower(outcome));
        registries.forEach(r -> Timer.builder(WAIT).description("How long fresh acquisitions of Holdfast locks took")
                .tags(t).register(r).record(waitNanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void released(String lockName, String kind, long heldNanos) {
        gaugesOf(kind);
        holds.get(kind).decrementAndGet();
        Tags t = lockTags(lockName, kind);
        registries.forEach(r -> Timer.builder(HELD).description("How long Holdfast locks were held, grant to release")
                .tags(t).register(r).record(heldNanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void renewed(int renewed, int gone, long roundTripNanos) {
        registries.forEach(r -> {
            renewals(r, "renewed").increment(renewed);
            renewals(r, "gone").increment(gone);
            Timer.builder(RENEWAL_ROUND_TRIP).description("Round trip of one Holdfast renewal batch").tags(tags)
                    .register(r).record(roundTripNanos, TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public void renewalFailed(int leases, Throwable cause) {
        registries.forEach(r -> renewals(r, "failed").increment(leases));
    }

    @Override
    public void leaseLost(String lockName, String kind, LossCause cause) {
        gaugesOf(kind);
        holds.get(kind).decrementAndGet();
        Tags t = lockTags(lockName, kind).and("cause", lower(cause));
        registries.forEach(r -> Counter.builder(LOST).description("Holdfast holds lost").tags(t).register(r).increment());
    }

    @Override
    public void handOverReceived(String lockName, String kind) {
        Tags t = lockTags(lockName, kind);
        registries.forEach(r -> Counter.builder(HANDOVERS).description("Holdfast locks handed over to a waiter of this client")
                .tags(t).register(r).increment());
    }

    // --- helpers ---

    private Counter renewals(MeterRegistry registry, String result) {
        return Counter.builder(RENEWALS).description("Holdfast lease renewals, by result").tags(tags).tag("result", result)
                .register(registry);
    }

    private Tags lockTags(String lockName, String kind) {
        Tags t = tags.and("kind", kind);
        if (lockNameTag != null) {
            String value = lockNameTag.apply(lockName);
            t = t.and("lock", value == null ? "none" : value);
        }
        return t;
    }

    /** Makes the gauges of {@code kind} (once), in every registry bound so far. */
    private void gaugesOf(String kind) {
        if (holds.containsKey(kind)) {
            return;
        }
        synchronized (this) {
            if (holds.containsKey(kind)) {
                return;
            }
            waiters.put(kind, new AtomicLong());
            holds.put(kind, new AtomicLong());
            registries.forEach(r -> registerGauges(r, kind));
        }
    }

    private void registerGauges(MeterRegistry registry, String kind) {
        Gauge.builder(HOLDS, holds.get(kind), AtomicLong::get).description("Holdfast holds now (acquired, not released or lost)")
                .tags(tags).tag("kind", kind).register(registry);
        Gauge.builder(WAITERS, waiters.get(kind), AtomicLong::get).description("Holdfast acquisitions in progress now")
                .tags(tags).tag("kind", kind).register(registry);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Builder of {@link HoldfastMetrics}. */
    public static final class Builder {
        private Tags tags = Tags.empty();
        private Function<String, String> lockNameTag;

        private Builder() {
        }

        /**
         * Tags every meter carries, e.g. the application or the Redis it talks to.
         *
         * @param common the tags
         * @return this builder
         */
        public Builder tags(Iterable<Tag> common) {
            this.tags = this.tags.and(Objects.requireNonNull(common, "tags"));
            return this;
        }

        /**
         * Tags the timers and counters of a lock with {@code lock} = {@code tag.apply(lockName)}
         * (a null result: {@code none}). Keep the values few: every distinct value makes meters of
         * its own. Default: no lock tag.
         *
         * @param tag maps a lock name to a tag value, e.g. {@code name -> name.split(":")[0]}
         * @return this builder
         */
        public Builder lockNameTag(Function<String, String> tag) {
            this.lockNameTag = Objects.requireNonNull(tag, "lockNameTag");
            return this;
        }

        /**
         * Builds the metrics.
         *
         * @return the metrics, not bound to a registry yet
         */
        public HoldfastMetrics build() {
            return new HoldfastMetrics(this);
        }
    }
}
