package io.holdfast.it.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.ReplicationException;
import io.holdfast.testkit.RedisServer;
import io.holdfast.testkit.RedisServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code ```java} block of {@code README.md} is a region of {@link ReadmeSnippets} or
 * {@link CatalogCache} (compared after removing common indentation), and each runs here against
 * a real {@code redis-server}, its claims asserted.
 */
@Tag("integration")
class ReadmeSnippetsTest {

    /** Surefire runs in the module's directory; the README is in its parent. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SOURCES = Path.of("src/test/java/io/holdfast/it/readme");

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private ReadmeSnippets snippets;

    @BeforeEach
    void connect() {
        snippets = new ReadmeSnippets(redis.commands());
        snippets.holdfast = Holdfast.connect(redis.uri());
    }

    @AfterEach
    void close() {
        snippets.holdfast.close();
    }

    @Test
    void everyJavaBlockOfTheReadme_isARegionOfATestedSource() throws IOException {
        List<String> quoted = new ArrayList<>();
        for (String file : List.of("ReadmeSnippets.java", "CatalogCache.java", "ConditionSnippets.java")) {
            quoted.addAll(regions(Files.readAllLines(SOURCES.resolve(file))));
        }
        // the snippets of the optional modules are compiled and run by those modules' own tests
        for (String file : List.of("micrometer/src/test/java/io/holdfast/micrometer/ReadmeMetricsSnippets.java",
                "spring-boot-starter/src/test/java/io/holdfast/spring/ReadmeSpringSnippets.java")) {
            quoted.addAll(regions(Files.readAllLines(ROOT.resolve(file))));
        }
        List<String> inReadme = javaBlocks(Files.readAllLines(ROOT.resolve("README.md")));
        // exactly the tested regions, each as often (no fixed count: two branches that each added two
        // snippets both wrote 9 -> 11, and the merge kept 11 for 13 blocks)
        assertThat(inReadme).isNotEmpty().containsExactlyInAnyOrderElementsOf(quoted);
    }

    @Test
    void tlsTrust_takesTheCaFileGiven_insteadOfTheJvmTrustStore(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        // the handshake itself, against a redis-server with a TLS port, is TlsConnectionTest's
        Path caFile = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(snippets.trusting("rediss://127.0.0.1:6380", caFile).trustedCertificates()).contains(caFile);
    }

    @Test
    void quickStart_holdsTheLockAroundTheCriticalSection_andLeavesNothing() {
        snippets.quickStart(redis.uri());
        assertThat(snippets.shippedWhileLocked).containsExactly(true);
        assertThat(redis.commands().exists("holdfast:{orders:42}")).isZero();
    }

    @Test
    void async_twoOwners_theSecondGetsTheLockAfterTheFirstReleasedIt() throws Exception {
        RLock lock = snippets.holdfast.getLock("async");
        Optional<Lease> turn = snippets.asyncOwners(lock, 7, 8).get(5, TimeUnit.SECONDS);
        // released, no LockLostException; the hand-over may reach the second owner before the
        // first owner's unlock future completes, so wait for it rather than expect it done
        assertThat(snippets.done).succeedsWithin(Duration.ofSeconds(5));
        assertThat(turn).isPresent();
        assertThat(turn.get().fencingToken()).isGreaterThan(snippets.processedTokens.get(0));
        lock.unlockAsync(8).get(5, TimeUnit.SECONDS);
        assertThat(lock.isLocked()).isFalse();
    }

    /** The README's first async snippet used one owner for both calls: the second was a re-entry. */
    @Test
    void asyncSnippetWithOneOwnerForBothCalls_reentered_andItsOneUnlockLeftTheLockHeld() throws Exception {
        RLock lock = snippets.holdfast.getLock("async-one-owner");
        lock.lockAsync(9, -1, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(lock.tryLockAsync(9, 2, 10, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS)).isPresent();
        lock.unlockAsync(9).get(5, TimeUnit.SECONDS);
        assertThat(lock.isLocked()).isTrue();
        lock.unlockAsync(9).get(5, TimeUnit.SECONDS);
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void visit_takesOneLevelPerDepth_andFreesTheLockAtTheEnd() {
        ReadmeSnippets.Node leaf = snippets.new Node("t", List.of());
        ReadmeSnippets.Node middle = snippets.new Node("t", List.of(leaf));
        snippets.visit(snippets.new Node("t", List.of(middle)));
        assertThat(snippets.holdCountsSeen).containsExactly(1, 2, 3);
        assertThat(snippets.holdfast.getLock("tree:t").isLocked()).isFalse();
    }

    @Test
    void lease_givesTheStorageTheHoldsFencingToken_andIsNotLost() {
        RLock lock = snippets.holdfast.getLock("lease");
        snippets.leaseAndToken(lock, "data");
        snippets.leaseAndToken(lock, "data");
        assertThat(snippets.storedTokens).hasSize(2);
        assertThat(snippets.storedTokens.get(1)).isGreaterThan(snippets.storedTokens.get(0));
        assertThat(snippets.aborted).isEmpty();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void fairWaiterTimeout_isSetOnTheOptions() {
        assertThat(snippets.fairWaiterTimeout().fairWaiterTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void fairWorkers_printOneAtATime_withGrowingTokens_andLeaveNoKey() throws Exception {
        int jobs = 20;
        snippets.allPrinted = new CountDownLatch(jobs);
        for (int i = 0; i < jobs; i++) {
            snippets.jobs.add(new ReadmeSnippets.Job(i));
        }
        snippets.fairWorkers(redis.uri());
        assertThat(List.copyOf(snippets.printedTokens)).hasSize(jobs).isSorted().doesNotHaveDuplicates();
        assertThat(snippets.mostPrintersAtOnce).hasValue(1);
        assertThat(redis.commands().keys("holdfast:{printer}*")).isEmpty();
    }

    @Test
    void catalogCache_rebuildDowngradesAndReadersSeeTheSnapshot() throws Exception {
        CatalogCache cache = new CatalogCache(snippets.holdfast, redis.commands());
        assertThat(cache.rebuild(Map.of("a", "1", "b", "2"))).isEqualTo(2);
        assertThat(cache.price("b")).isEqualTo("2");
        long firstToken = Long.parseLong(redis.commands().get("catalog:token"));
        assertThat(cache.rebuild(Map.of("a", "3"))).isEqualTo(1);
        assertThat(Long.parseLong(redis.commands().get("catalog:token"))).isGreaterThan(firstToken);
        assertThat(cache.price("a")).isEqualTo("3");
        assertThat(redis.commands().keys("holdfast:{catalog}*")).isEmpty();
    }

    @Test
    void conditions_boundedBuffer_aConsumerWaitsForAProducer_andAProducerForRoom() throws Exception {
        ConditionSnippets buffer = new ConditionSnippets(snippets.holdfast, redis.commands());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<List<String>> taken = pool.submit(() -> {
                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    jobs.add(buffer.take()); // waits on notEmpty: nothing is put yet at first
                }
                return jobs;
            });
            java.util.concurrent.Future<?> put = pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    buffer.put("job-" + i); // waits on notFull past 10
                }
                return null;
            });
            put.get(60, TimeUnit.SECONDS);
            assertThat(taken.get(60, TimeUnit.SECONDS)).hasSize(25).doesNotHaveDuplicates().startsWith("job-0");
        } finally {
            pool.shutdownNow();
        }
        assertThat(redis.commands().keys("holdfast:{jobs}*")).isEmpty();
    }

    @Test
    void templates_runCallAndTryRun_underTheLock() throws Exception {
        ConditionSnippets s = new ConditionSnippets(snippets.holdfast, redis.commands());
        assertThat(s.templates(snippets.holdfast)).isTrue();
        assertThat(redis.commands().get("reports:done")).isEqualTo("2");
        assertThat(s.pending).isZero();
        assertThat(snippets.holdfast.getLock("nightly-report").isLocked()).isFalse();
    }

    @Test
    void scheduledJob_runsOnce_andAnotherNodeSkipsItWhileAtLeastForLasts() throws Exception {
        ConditionSnippets s = new ConditionSnippets(snippets.holdfast, redis.commands());
        redis.commands().set("sessions:expired", "x");
        assertThat(s.scheduledJob(snippets.holdfast)).isTrue();
        assertThat(redis.commands().exists("sessions:expired")).isZero();
        try (Holdfast otherNode = Holdfast.connect(redis.uri())) {
            assertThat(s.scheduledJob(otherNode)).isFalse();
        }
        assertThat(redis.commands().pttl("holdfast:{hourly-cleanup}")).isBetween(1L, 30_000L);
    }

    @Test
    void configuration_connects_andRequiredReplicaAcknowledgementRefusesAHoldNoReplicaSaw() {
        try (Holdfast configured = snippets.configured(redis.uri())) {
            RLock lock = configured.getLock("configured");
            assertThatThrownBy(lock::lock).isInstanceOf(ReplicationException.class);
            assertThat(lock.isLocked()).isFalse();
        }
    }

    /** The {@code ```java} blocks of a Markdown file, each without its common indentation. */
    static List<String> javaBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (block == null && trimmed.equals("```java")) {
                block = new ArrayList<>();
            } else if (block != null && trimmed.equals("```")) {
                blocks.add(dedent(block));
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        return blocks;
    }

    @Test
    void quorumLock_overThreeMasters_holdsAMajority_andGivesTheStorageItsToken() throws Exception {
        try (RedisServer second = RedisServer.start(); RedisServer third = RedisServer.start()) {
            snippets.quorumLock(redis.uri(), second.uri(), third.uri());
            snippets.quorumLock(redis.uri(), second.uri(), third.uri());
            assertThat(snippets.invoiceTokens).hasSize(2);
            assertThat(snippets.invoiceTokens.get(1)).isGreaterThan(snippets.invoiceTokens.get(0));
            for (RedisServer s : List.of(redis.server(), second, third)) {
                assertThat(s.commands().exists("holdfast:{invoices:7}")).isZero();
            }
        }
    }

    @Test
    void multiLock_holdsEveryMemberAroundTheWork_andReleasesThemAll() {
        try (Holdfast stock = Holdfast.connect(redis.uri())) {
            snippets.multiLock(snippets.holdfast, stock);
            assertThat(snippets.reservedWhileBothHeld).containsExactly(true);
            assertThat(snippets.holdfast.getLock("order:42").isLocked()).isFalse();
            assertThat(stock.getFairLock("sku:7").isLocked()).isFalse();
        }
    }

    /** The regions between {@code // readme:begin} and {@code // readme:end}, each dedented. */
    static List<String> regions(List<String> lines) {
        List<String> regions = new ArrayList<>();
        List<String> region = null;
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.equals("// readme:begin")) {
                region = new ArrayList<>();
            } else if (trimmed.equals("// readme:end")) {
                regions.add(dedent(region));
                region = null;
            } else if (region != null) {
                region.add(line);
            }
        }
        return regions;
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
