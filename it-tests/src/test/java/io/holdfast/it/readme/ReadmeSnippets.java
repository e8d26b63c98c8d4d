package io.holdfast.it.readme;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.LockLostException;
import io.holdfast.RLock;
import io.holdfast.ReplicaAcknowledgement;
import io.holdfast.quorum.MultiLock;
import io.holdfast.quorum.QuorumHoldfast;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java snippets of {@code README.md}, each between {@code // readme:begin} and
 * {@code // readme:end}. {@link ReadmeSnippetsTest} checks that the README quotes exactly these
 * regions (and {@link CatalogCache}'s) and runs each against a real {@code redis-server}; the
 * methods around a region and the hooks below ({@code shipOrder}, {@code process}, ...) only
 * record what the test asserts.
 */
class ReadmeSnippets {

    private static final Logger log = LoggerFactory.getLogger(ReadmeSnippets.class);

    private final RedisCommands<String, String> server;
    Holdfast holdfast;

    // what the snippets did, for the test to assert
    final List<Boolean> shippedWhileLocked = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Long> processedTokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Integer> holdCountsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Long> storedTokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<LockLostException> aborted = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<Long> printedTokens = new ConcurrentLinkedQueue<>();
    final AtomicInteger printersAtOnce = new AtomicInteger();
    final AtomicInteger mostPrintersAtOnce = new AtomicInteger();
    final List<Long> invoiceTokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Boolean> reservedWhileBothHeld = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> done;

    ReadmeSnippets(RedisCommands<String, String> server) {
        this.server = server;
    }

    void quickStart(String uri) {
        // readme:begin
        try (Holdfast holdfast = Holdfast.connect(uri)) {   // uri: e.g. "redis://127.0.0.1:6379"
            RLock lock = holdfast.getLock("orders:42");   // RLock extends java.util.concurrent.locks.Lock
            lock.lock();
            try {
                shipOrder(42);                            // exclusive across every process using this Redis
            } finally {
                lock.unlock();
            }
        }
        // readme:end
    }

    private void shipOrder(int order) {
        shippedWhileLocked.add(server.exists("holdfast:{orders:" + order + "}") == 1);
    }

    CompletableFuture<Optional<Lease>> asyncOwners(RLock lock, long jobId, long otherJobId) {
        // readme:begin
        long job = jobId;                                   // any long; never confused with a thread id
        CompletableFuture<Void> done = lock.lockAsync(job, -1, TimeUnit.SECONDS)   // -1: watchdog-renewed lease
            .thenCompose(lease -> process(lease.fencingToken())
                .handle((r, e) -> lock.unlockAsync(job))    // release whether process succeeded or not
                .thenCompose(unlocked -> unlocked));        // completes once released; fails if the lease was lost

        long other = otherJobId;                            // another owner: a token is one holder
        CompletableFuture<Optional<Lease>> turn =
            lock.tryLockAsync(other, 2, 10, TimeUnit.SECONDS);  // wait up to 2 s, lease of 10 s; empty if not acquired
        // readme:end
        this.done = done;
        return turn;
    }

    private CompletableFuture<Void> process(long fencingToken) {
        processedTokens.add(fencingToken);
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
    }

    /** A tree node; reading its children records the hold count of its tree's lock at that depth. */
    final class Node {
        private final String treeId;
        private final List<Node> children;

        Node(String treeId, List<Node> children) {
            this.treeId = treeId;
            this.children = children;
        }

        String treeId() {
            return treeId;
        }

        List<Node> children() {
            holdCountsSeen.add(holdfast.getLock("tree:" + treeId).getHoldCount());
            return children;
        }
    }

    // readme:begin
    void visit(Node node) {
        RLock lock = holdfast.getLock("tree:" + node.treeId());
        lock.lock();                      // 1st level on the way in, n-th level deeper down
        try {
            node.children().forEach(this::visit);
        } finally {
            lock.unlock();
        }
    }
    // readme:end

    void leaseAndToken(RLock lock, String data) {
        Storage storage = (text, token) -> storedTokens.add(token);
        // readme:begin
        lock.lock();
        try {
            Lease lease = lock.currentLease().orElseThrow();
            lease.whenLost().thenAccept(e -> abortTheJob(e));      // told at once, off the I/O threads
            if (lease.remaining(TimeUnit.MILLISECONDS) > 500) {     // time left to write safely
                storage.write(data, lease.fencingToken());         // let the storage reject stale holders
            }
        } finally {
            lock.unlock();                                         // throws LockLostException if it was lost
        }
        // readme:end
    }

    interface Storage {
        void write(String data, long fencingToken);
    }

    private void abortTheJob(LockLostException e) {
        aborted.add(e);
    }

    HoldfastOptions fairWaiterTimeout() {
        // readme:begin
        HoldfastOptions options = HoldfastOptions.builder("redis://127.0.0.1:6379").fairWaiterTimeout(Duration.ofSeconds(2)).build();
        // readme:end
        return options;
    }

    /** A print job. */
    record Job(int id) { }

    final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    CountDownLatch allPrinted;

    private void print(Job job, long fencingToken, int worker) {
        int atOnce = printersAtOnce.incrementAndGet();
        mostPrintersAtOnce.accumulateAndGet(atOnce, Math::max);
        printedTokens.add(fencingToken);
        printersAtOnce.decrementAndGet();
        allPrinted.countDown();
    }

    void fairWorkers(String uri) throws InterruptedException {
        // readme:begin
        try (Holdfast holdfast = Holdfast.connect(uri)) {
            RLock printer = holdfast.getFairLock("printer");
            ExecutorService workers = Executors.newFixedThreadPool(4);
            for (int w = 0; w < 4; w++) {
                int worker = w;
                workers.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        Job job = jobs.take();
                        printer.lockInterruptibly();      // joins the queue; served in arrival order
                        try {
                            print(job, printer.getFencingToken(), worker);
                        } finally {
                            printer.unlock();             // hands it to the head of the queue, wakes nobody else
                        }
                    }
                    return null;
                });
            }
            allPrinted.await();                            // the application's own work
            workers.shutdownNow();                         // interrupted waiters leave the queue at once
            workers.awaitTermination(10, TimeUnit.SECONDS); // before the client closes
        }
        // readme:end
    }

    Holdfast configured(String uri) {
        // readme:begin
        HoldfastOptions options = HoldfastOptions.builder(uri)  // e.g. "rediss://user:secret@redis.example:6380/2"
                .watchdogLease(Duration.ofSeconds(30))   // lease of renewed holds; renewed past half of it
                .commandTimeout(Duration.ofSeconds(5))   // per Redis command
                .keyPrefix("holdfast:")                  // every key and channel starts with it
                .fairWaiterTimeout(Duration.ofSeconds(5))// a fair-lock waiter that stops renewing is evicted after it
                .lockCacheSize(10_000)                   // lock objects cached by name (bounded)
                .leaseListener((lease, e) -> log.error("lost {}", lease.lockName(), e))
                .replicaAcknowledgement(1, Duration.ofMillis(100), ReplicaAcknowledgement.Policy.REQUIRE) // optional WAIT
                .build();
        Holdfast holdfast = Holdfast.connect(options);
        // readme:end
        return holdfast;
    }

    HoldfastOptions trusting(String uri, Path caFile) {
        // readme:begin
        HoldfastOptions options = HoldfastOptions.builder(uri) // e.g. "rediss://redis.example:6380"
                .trustedCertificates(caFile)    // PEM, e.g. Path.of("/etc/redis/ca.crt"); instead of the JVM's trust store
                .build();
        // readme:end
        return options;
    }

    void quorumLock(String... masterUris) {
        Storage storage = (text, token) -> invoiceTokens.add(token);
        // readme:begin
        // masterUris: five independent masters, e.g. "redis://10.0.0.1:6379" ... "redis://10.0.0.5:6379"
        try (QuorumHoldfast quorum = QuorumHoldfast.builder(masterUris).build()) {
            RLock lock = quorum.getQuorumLock("invoices:7");   // the RLock contract, held on a majority
            lock.lock();
            try {
                Lease lease = lock.currentLease().orElseThrow();
                storage.write("invoice 7", lease.fencingToken()); // the storage rejects older tokens
            } finally {
                lock.unlock();                                // LockLostException if the majority was lost
            }
        }
        // readme:end
    }

    void multiLock(Holdfast orders, Holdfast stock) {
        // readme:begin
        RLock both = MultiLock.of(orders.getLock("order:42"), stock.getFairLock("sku:7")); // any kinds, any servers
        both.lock();                          // all or none; others naming them in another order cannot deadlock
        try {
            reserve(42, 7);
        } finally {
            both.unlock();                    // releases every member
        }
        // readme:end
    }

    private void reserve(int order, int sku) {
        reservedWhileBothHeld.add(server.exists("holdfast:{order:" + order + "}") == 1);
    }

    Holdfast cluster(String seed, String otherSeed) {
        // readme:begin
        HoldfastOptions options = HoldfastOptions.clusterBuilder(seed, otherSeed) // e.g. "redis://user:secret@10.0.0.1:6379"
                .watchdogLease(Duration.ofSeconds(30))
                .build();              // options.redisUri(): "redis-cluster://user:secret@10.0.0.1:6379,10.0.0.2:6379"
        Holdfast holdfast = Holdfast.connect(options);
        // readme:end
        return holdfast;
    }
}
