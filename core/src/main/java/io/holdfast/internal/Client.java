package io.holdfast.internal;

import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.HoldKey;
import io.holdfast.spi.LeaseKeeper;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockKind;
import io.holdfast.spi.RedisGateway;
import io.holdfast.LockLostException;
import io.holdfast.Ticker;
import io.netty.util.Timer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one {@code Holdfast} client's engine shares: identity, options, the command
 * connection, the pub/sub hub, the timer, the hold registry, the watchdog and the engine. Kinds see
 * it only as the narrow {@link ClientContext}.
 */
public final class Client implements ClientContext {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private final String clientId;
    private final HoldfastOptions options;
    private final RedisGateway redis;
    private final PubSubHub hub;
    private final Timer timer;
    private final Executor events;
    private final HoldfastObserver observer;
    private final Map<HoldKey, Hold> holds = new ConcurrentHashMap<>();
    private final Map<HoldKey, Acquisition> acquiring = new ConcurrentHashMap<>();
    private final java.util.Set<Waiter> conditionWaiters = ConcurrentHashMap.newKeySet();
    private final Map<Class<?>, Object> components = new ConcurrentHashMap<>();
    private final AcquisitionEngine engine;
    private final Undos undos = new Undos(this);
    private volatile LeaseKeeper keeper;
    private volatile boolean closed;
    private volatile List<LockKeys.KeySuffix> keySuffixes = List.of();

    public Client(String clientId, HoldfastOptions options, RedisGateway redis, PubSubHub hub, Timer timer,
            Executor events) {
        this.clientId = clientId;
        this.options = options;
        this.redis = redis;
        this.hub = hub;
        this.timer = timer;
        this.events = events;
        this.observer = ObserverDispatch.of(options.observer(), events);
        this.engine = new AcquisitionEngine(this);
    }

    /**
     * The lease of a fresh acquisition that asked for {@code requestedMillis}: that lease if it is
     * positive (an explicit lease, never renewed), otherwise ({@code -1}: renewed by the watchdog)
     * the watchdog's lease. The one place this rule is written.
     */
    public long leaseMillis(long requestedMillis) {
        return requestedMillis > 0 ? requestedMillis : options.watchdogLease().toMillis();
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** The holder id of thread {@code threadId} in this client. */
    public String holderId(long threadId) {
        return clientId + ":" + threadId;
    }

    /** The holder id of async owner token {@code owner}: never equal to a thread's. */
    public String ownerHolderId(long owner) {
        return clientId + ":o" + owner;
    }

    /**
     * Where user code runs: the completion of the futures the API returns, {@code whenLost()}
     * stages and the lease listener (never a Redis I/O thread; see
     * {@link HoldfastOptions.Builder#callbackExecutor}).
     */
    public Executor callbacks() {
        return events;
    }

    @Override
    public HoldfastObserver observer() {
        return observer;
    }

    @Override
    public HoldfastOptions options() {
        return options;
    }

    @Override
    public RedisGateway redis() {
        return redis;
    }

    public PubSubHub hub() {
        return hub;
    }

    @Override
    public Timer timer() {
        return timer;
    }

    @Override
    public Ticker ticker() {
        return options.ticker();
    }

    public AcquisitionEngine engine() {
        return engine;
    }

    @Override
    public LeaseKeeper keeper() {
        return keeper;
    }

    public void keeper(LeaseKeeper leaseKeeper) {
        this.keeper = leaseKeeper;
    }

    /** The holds this client has now (live, or lost and not yet unlocked). */
    public Map<HoldKey, Hold> holds() {
        return holds;
    }

    @Override
    public boolean holdsLocally(HoldKey id) {
        return holds.containsKey(id);
    }

    @Override
    public RLock newLock(LockKind kind, LockKeys keys) {
        return new EngineLock(this, kind, keys);
    }

    /** The undos of acquisitions whose outcome is not known, until they succeed. */
    public Undos undos() {
        return undos;
    }

    /** The fresh acquisitions in progress, one per holder and role at most. */
    public Map<HoldKey, Acquisition> acquiring() {
        return acquiring;
    }

    /** Wakes the waiting acquisition {@code id}, if any: it asks the server now. */
    @Override
    public void waitMarkerGone(HoldKey id) {
        Acquisition waiting = acquiring.get(id);
        if (waiting != null) {
            waiting.markerGone();
        }
    }

    /** The waiters of distributed conditions blocked in {@code await} now (see {@link EngineCondition}). */
    java.util.Set<Waiter> conditionWaiters() {
        return conditionWaiters;
    }

    /**
     * Marks the client closed and fails every acquisition still in progress ("client closed"),
     * and wakes every condition waiter (it then throws the same), so that no caller stays blocked
     * on a client that will never answer it.
     */
    public void markClosed() {
        closed = true;
        acquiring.values().forEach(Acquisition::clientClosed);
        conditionWaiters.forEach(Waiter::wake);
    }

    @Override
    public <T> T component(Class<T> type, Function<ClientContext, T> factory) {
        return type.cast(components.computeIfAbsent(type, t -> factory.apply(this)));
    }

    @Override
    public LockKeys keys(String name) {
        return LockKeys.of(options.keyPrefix(), name, keySuffixes);
    }

    /** The key suffixes of the kinds on the class path: lock names that would produce one are refused. */
    public void reserveKeySuffixes(Collection<LockKeys.KeySuffix> suffixes) {
        this.keySuffixes = List.copyOf(suffixes);
    }

    /** Throws if the client was closed. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Holdfast client is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Called once per lost hold: logs it and tells the client's listener off the I/O thread. */
    public void lost(Hold hold, LockLostException cause) {
        LeaseKeeper k = keeper;
        if (k != null) {
            k.cancel(hold);
        }
        if (!hold.holderAlive()) {
            holds.remove(hold.id(), hold); // nobody is left to unlock it
        }
        log.warn("{} (holder {}, fencing token {})", cause.getMessage(), hold.id().holderId(), hold.fencingToken());
        observer.leaseLost(hold.lockName(), hold.kind().role(), ObserverDispatch.cause(cause));
        events.execute(() -> {
            try {
                options.leaseListener().leaseLost(new ClientLease(hold, events), cause);
            } catch (RuntimeException e) {
                log.warn("lease listener failed for lock '{}'", hold.lockName(), e);
            }
        });
    }
}
