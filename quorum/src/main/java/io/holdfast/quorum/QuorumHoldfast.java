package io.holdfast.quorum;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LeaseListener;
import io.holdfast.RLock;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A client of N independent Redis masters (N odd, at least 3) whose locks are held when a majority
 * of the masters grant them: the quorum lock, or Redlock.
 *
 * <pre>{@code
 * try (QuorumHoldfast quorum = QuorumHoldfast.builder(
 *         "redis://10.0.0.1:6379", "redis://10.0.0.2:6379", "redis://10.0.0.3:6379",
 *         "redis://10.0.0.4:6379", "redis://10.0.0.5:6379").build()) {
 *     RLock lock = quorum.getQuorumLock("orders:42");
 *     lock.lock();
 *     try {
 *         long token = lock.getFencingToken(); // hand it to the resource you protect
 *         ...
 *     } finally {
 *         lock.unlock();
 *     }
 * }
 * }</pre>
 *
 * <p><b>Masters</b>: one {@link Holdfast} client per master; each gives a reentrant lock of the
 * lock's name, and the quorum lock holds it there with an owner token of its own. The masters must
 * be independent: no replication between them, no Cluster, no Sentinel failover (a master that
 * fails over to a replica that missed the write is, for the quorum, a master that lost its data).
 *
 * <p><b>Acquire</b> (the algorithm: {@code GroupAcquisition} in the sources): an attempt on every
 * master at once, with zero wait on each and a per-master timeout far below the lease
 * ({@link Builder#memberTimeout}, at most a third of the lease); granted when a majority granted
 * and the validity left is positive; otherwise released on every master, including those that did
 * not answer in time (their late grant is given back when it arrives). A waiter waits queued on one
 * master only: the first, in master order, that it found busy. There the master's release wakes
 * it (pub/sub, a hand-over); then it tries the others again without waiting. Rounds that split the
 * vote back off for a random time ({@link Builder#retryBackoff}).
 *
 * <p><b>Validity</b> ({@link io.holdfast.Lease#validUntilNanos()}): the majority-th latest of the
 * masters' validity deadlines (each is its last acquire or renewal's send time + the lease) less
 * the drift allowance: {@code driftFactor * lease + driftMillis} ({@link Builder#clockDrift}). At
 * the grant, that is {@code lease − elapsed − drift} from when the attempts were sent.
 *
 * <p><b>Renewal and loss</b>: every master's watchdog renews its member hold. The quorum hold is
 * lost the moment fewer than a majority of the member holds are live: the listener
 * ({@link Builder#leaseListener}) fires once, {@code whenLost()} completes, the other member holds
 * are released, and {@code unlock()} throws {@link io.holdfast.LockLostException}.
 *
 * <p><b>Fencing</b>: the token of a quorum hold is the largest of its granted masters' tokens.
 * Each master's token is {@code max(its clock in µs, its last token + 1)}. Any two majorities share
 * a master, whose token grows; so the quorum token strictly increases from one holder to the next
 * as long as (a) the shared master kept its data (the token key: no restart without persistence)
 * and (b) the masters' clocks disagree by less than the time between the two acquisitions (the
 * previous holder's maximum may come from a master whose clock runs ahead). Without (b), or once a
 * majority lost its data, a token can go backwards; the README's "Quorum lock and multi-lock" says
 * what that means for the protected resource.
 *
 * <p><b>Redis unreachable</b>: an acquisition that cannot get answers from a majority fails with
 * {@link io.holdfast.RedisUnavailableException} naming every master that failed or did not answer
 * (at once for an error that leaves too few masters; after {@link Builder#unavailableTimeout} of
 * rounds with too few answers, which may only be slow ones, otherwise: {@code tryLock()} included).
 * A hold is lost when a majority can no longer be renewed in time.
 */
public final class QuorumHoldfast implements AutoCloseable {

    private final List<Holdfast> masters;
    private final List<String> labels;
    private final boolean ownsMasters;
    private final Policy policy;
    private final GroupContext ctx;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService callbacks;
    private final long watchdogLeaseMillis;
    /** The Lettuce resources this client made for its masters' clients, shut down at close; or null. */
    private final ClientResources sharedResources;

    private QuorumHoldfast(Builder b, List<Holdfast> masters, List<String> labels, boolean owns,
            ClientResources sharedResources) {
        this.sharedResources = sharedResources;
        this.masters = List.copyOf(masters);
        this.labels = List.copyOf(labels);
        this.ownsMasters = owns;
        this.watchdogLeaseMillis = b.watchdogLease.toMillis();
        this.policy = new Policy("quorum lock", masters.size() / 2 + 1, b.driftFactor, b.driftMillis,
                b.memberTimeout.toMillis(), b.retryBackoff.toMillis(), b.unavailableTimeout.toMillis(), false);
        this.scheduler = Threads.scheduler("holdfast-quorum-timer");
        this.callbacks = Threads.callbacks("holdfast-quorum-callbacks");
        this.ctx = new GroupContext(scheduler, callbacks, b.leaseListener);
    }

    /**
     * Starts a quorum client of the masters at {@code redisUris}, each a {@code redis://} or
     * {@code rediss://} URI as for {@link HoldfastOptions#builder(String)}. The masters are put in
     * the order of their URIs, so that clients listing them in another order agree on it.
     *
     * @param redisUris the masters: an odd number, at least 3, none twice
     * @return a builder; {@link Builder#build()} connects
     * @throws IllegalArgumentException if the number is even or below 3, or a URI is given twice
     */
    public static Builder builder(String... redisUris) {
        List<String> uris = List.of(Objects.requireNonNull(redisUris, "redisUris"));
        checkCount(uris.size());
        if (new HashSet<>(uris).size() != uris.size()) {
            throw new IllegalArgumentException("a master is given twice: "
                    + uris.stream().map(QuorumHoldfast::redact).toList());
        }
        return new Builder(uris.stream().sorted().toList(), null);
    }

    /**
     * Starts a quorum client over clients already connected, one per master, in the order given:
     * every client of the lock must give the masters in the same order (it picks where waiters
     * queue; another order costs more split votes, never safety). {@link #close()} leaves them open.
     * They must use the system ticker (the default).
     *
     * @param masters the clients: an odd number, at least 3, none twice
     * @return a builder; its {@link Builder#watchdogLease} must be the clients' own
     * @throws IllegalArgumentException if the number is even or below 3, or a client is given twice
     */
    public static Builder over(List<Holdfast> masters) {
        List<Holdfast> list = List.copyOf(Objects.requireNonNull(masters, "masters"));
        checkCount(list.size());
        Set<Holdfast> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        distinct.addAll(list);
        if (distinct.size() != list.size()) {
            throw new IllegalArgumentException("a master client is given twice");
        }
        return new Builder(null, list);
    }

    /** {@code uri} with its credentials (user and password) replaced by {@code ***}, for messages. */
    static String redact(String uri) {
        return uri == null ? null : uri.replaceAll("(?<=://)[^@/]*@", "***@");
    }

    private static void checkCount(int n) {
        if (n < 3 || n % 2 == 0) {
            throw new IllegalArgumentException("a quorum lock needs an odd number of masters, at least 3: got " + n);
        }
    }

    /**
     * The quorum lock called {@code name}: the {@link RLock} contract (reentrant per thread or owner
     * token, watchdog, {@code tryLock} with waits, fencing token, lost-lease signal) held on a
     * majority of the masters. See the class comment for what it does and
     * {@code README, "Quorum lock and multi-lock"} for what it guarantees.
     *
     * <p>Differences from a single-master lock: {@code isHeldByCurrentThread()},
     * {@code isHeldByThread()} and {@code getHoldCount()} answer from this client's registry and
     * the hold's validity (no round trip); a nested acquisition with an explicit lease keeps the
     * hold's lease; {@code isLocked()} is true when a majority is locked; there are no conditions
     * ({@code newCondition} throws {@link UnsupportedOperationException}).
     *
     * @param name the lock's name, the same key on every master
     * @return the lock; obtaining it does not talk to Redis. It keeps no state of its own (holds
     *     live in this client's registry), so two objects of one name behave as one lock
     * @throws NullPointerException if name is null
     * <p>A master whose client was closed (possible for a client made with {@link #over(List)})
     * counts as a master that does not answer, like one that is down: the lock is still taken and
     * renewed on a majority of the others, and acquisitions fail with
     * {@link io.holdfast.RedisUnavailableException} only when fewer than a majority are left.
     *
     * @throws IllegalArgumentException if name is empty or would be another lock's key
     * @throws IllegalStateException if this quorum client is closed
     */
    public RLock getQuorumLock(String name) {
        Objects.requireNonNull(name, "name");
        if (ctx.isClosed()) {
            throw new IllegalStateException("this quorum client is closed");
        }
        List<RLock> members = new ArrayList<>();
        for (int i = 0; i < masters.size(); i++) {
            RLock member;
            try {
                member = masters.get(i).getLock(name); // checks the name
            } catch (IllegalStateException closed) {
                // a master client closed under a client made over(...): a master that does not answer
                member = ClosedMaster.lock(name, labels.get(i));
            }
            members.add(member);
        }
        return new GroupLock(new Group(name, members, labels, policy, ctx, watchdogLeaseMillis));
    }

    /**
     * The clients of the masters, in master order.
     *
     * @return the clients
     */
    public List<Holdfast> masters() {
        return masters;
    }

    /**
     * How many masters must grant a hold: {@code N / 2 + 1}.
     *
     * @return the majority
     */
    public int majority() {
        return policy.needed();
    }

    /**
     * Fails the acquisitions in progress and stops this client's threads. If it connected the
     * masters' clients ({@link #builder(String...)}), it closes them: holds still held expire with
     * their leases. If it was given them ({@link #over(List)}), they stay open and would keep
     * renewing the holds still held, so those are given back on the masters (waiting up to 5 s for
     * the answers).
     *
     * <p>Holds still held at close are not <em>lost</em>, as for a {@link Holdfast} closed under a
     * hold: closing is the holder's own doing, so their {@code whenLost()} never completes and the
     * lease listener is not told. Their {@link io.holdfast.Lease#isValid()} turns false (at once
     * for holds given back, whose state is then RELEASED; when the unrenewed validity ends
     * otherwise), and {@code unlock()} throws {@link IllegalStateException}, as every later call
     * on this client's locks does.
     */
    @Override
    public void close() {
        if (ctx.isClosed()) {
            return;
        }
        ctx.close();
        if (ownsMasters) {
            masters.forEach(Holdfast::close);
            if (sharedResources != null) {
                sharedResources.shutdown(0, 2, TimeUnit.SECONDS);
            }
        } else {
            ctx.giveBackHolds(5_000);
        }
        scheduler.shutdownNow();
        callbacks.shutdown();
    }

    /** Options of a {@link QuorumHoldfast}; every setter checks its argument at once. */
    public static final class Builder {
        private final List<String> uris;
        private final List<Holdfast> clients;
        private Duration watchdogLease = Duration.ofSeconds(30);
        private double driftFactor = 0.01;
        private long driftMillis = 2;
        private Duration memberTimeout = Duration.ofMillis(100);
        private Duration retryBackoff = Duration.ofMillis(20);
        private Duration unavailableTimeout = Duration.ofSeconds(2);
        private LeaseListener leaseListener = (lease, cause) -> { };
        private UnaryOperator<HoldfastOptions.Builder> masterOptions = UnaryOperator.identity();

        private Builder(List<String> uris, List<Holdfast> clients) {
            this.uris = uris;
            this.clients = clients;
        }

        /**
         * The watchdog lease of the masters' clients (default 30 s): set on the clients this builder
         * connects; for {@link #over(List)}, it must be the clients' own (it sizes the drift
         * allowance and the per-master timeout of renewed holds).
         *
         * @param lease the lease, at least {@link RLock#MIN_LEASE_MILLIS} ms
         * @return this builder
         */
        public Builder watchdogLease(Duration lease) {
            if (Objects.requireNonNull(lease, "lease").toMillis() < RLock.MIN_LEASE_MILLIS) {
                throw new IllegalArgumentException("watchdogLease must be at least " + RLock.MIN_LEASE_MILLIS + " ms: " + lease);
            }
            this.watchdogLease = lease;
            return this;
        }

        /**
         * The clock drift allowance taken off every hold's validity: {@code factor * lease + fixed}
         * (default 0.01 and 2 ms, as the Redlock description suggests).
         *
         * @param factor the share of the lease, in [0, 0.5)
         * @param fixed a fixed allowance, not negative
         * @return this builder
         */
        public Builder clockDrift(double factor, Duration fixed) {
            if (!(factor >= 0 && factor < 0.5)) {
                throw new IllegalArgumentException("the clock drift factor must be in [0, 0.5): " + factor);
            }
            if (Objects.requireNonNull(fixed, "fixed").isNegative()) {
                throw new IllegalArgumentException("the fixed clock drift must not be negative: " + fixed);
            }
            this.driftFactor = factor;
            this.driftMillis = fixed.toMillis();
            return this;
        }

        /**
         * How long one attempt on one master is waited for before the round goes on without it
         * (default 100 ms; never more than a third of the lease).
         *
         * @param timeout the per-master timeout, positive
         * @return this builder
         */
        public Builder memberTimeout(Duration timeout) {
            this.memberTimeout = positive(timeout, "memberTimeout");
            return this;
        }

        /**
         * The longest random back-off after a round that split the vote (default 20 ms).
         *
         * @param backoff the longest back-off, positive
         * @return this builder
         */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = positive(backoff, "retryBackoff");
            return this;
        }

        /**
         * How long a waiting acquisition keeps trying while fewer than a majority of the masters
         * answer before it fails with {@link io.holdfast.RedisUnavailableException} (default 2 s).
         *
         * @param timeout the time, positive
         * @return this builder
         */
        public Builder unavailableTimeout(Duration timeout) {
            this.unavailableTimeout = positive(timeout, "unavailableTimeout");
            return this;
        }

        /**
         * Told once per lost quorum hold, on a Holdfast thread.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder leaseListener(LeaseListener listener) {
            this.leaseListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Further options of each master's client (timeouts, TLS, key prefix), applied after the
         * watchdog lease; only for {@link #builder(String...)}. Unless they set
         * {@link HoldfastOptions.Builder#clientResources}, the masters' clients share one set of
         * Lettuce {@code ClientResources} (one event loop group) that this quorum client makes and
         * shuts down at its close.
         *
         * @param options changes a master's options builder and returns it
         * @return this builder
         */
        public Builder masterOptions(UnaryOperator<HoldfastOptions.Builder> options) {
            this.masterOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Connects to every master (for {@link #builder(String...)}), failing fast.
         *
         * @return the quorum client; close it when done
         * @throws io.holdfast.RedisUnavailableException if a master cannot be reached (the clients
         *     connected so far are closed)
         */
        public QuorumHoldfast build() {
            if (clients != null) {
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < clients.size(); i++) {
                    labels.add("master " + i);
                }
                return new QuorumHoldfast(this, clients, labels, false, null);
            }
            List<Holdfast> connected = new ArrayList<>();
            ClientResources shared = null;
            try {
                for (String uri : uris) {
                    HoldfastOptions.Builder options = masterOptions.apply(
                            HoldfastOptions.builder(uri).watchdogLease(watchdogLease));
                    if (options.build().clientResources().isEmpty()) {
                        // one event loop group for every master: an acquisition's N replies come
                        // back on fewer threads (README, quorum lock, "Latency")
                        if (shared == null) {
                            shared = DefaultClientResources.create();
                        }
                        options.clientResources(shared);
                    }
                    connected.add(Holdfast.connect(options.build()));
                }
            } catch (RuntimeException e) {
                connected.forEach(Holdfast::close);
                if (shared != null) {
                    shared.shutdown(0, 2, TimeUnit.SECONDS);
                }
                throw e;
            }
            return new QuorumHoldfast(this, connected, uris.stream().map(Builder::label).toList(), true, shared);
        }

        /** {@code master host:port} of a URI, without its credentials. */
        private static String label(String uri) {
            try {
                URI u = URI.create(uri);
                return u.getHost() == null ? "master " + redact(uri) : "master " + u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
            } catch (IllegalArgumentException e) {
                return "master " + redact(uri);
            }
        }

        private static Duration positive(Duration d, String what) {
            if (Objects.requireNonNull(d, what).isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }
    }
}
