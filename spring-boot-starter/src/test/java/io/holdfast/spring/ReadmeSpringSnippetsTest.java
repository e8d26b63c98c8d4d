package io.holdfast.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.ReplicaAcknowledgement;
import io.holdfast.spring.boot.HoldfastAutoConfiguration;
import io.holdfast.testkit.RedisServerExtension;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The README's section "Spring Boot and Micrometer": its {@code application.properties} block starts
 * a context whose client has those options, and its Java snippet ({@link ReadmeSpringSnippets}) runs
 * in that context against a real redis-server.
 */
@Tag("integration")
class ReadmeSpringSnippetsTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    /** Surefire runs in the module's directory; the README is in its parent. */
    private static final Path README = Path.of("").toAbsolutePath().getParent().resolve("README.md");

    /** The README's {@code properties} blocks, in order. */
    static List<String> propertiesBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(README)) {
            if (block == null && line.trim().equals("```properties")) {
                block = new StringBuilder();
            } else if (block != null && line.trim().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void readmeProperties_configureTheClient_andTheSnippetRunsInTheContext() throws IOException {
        List<String> blocks = propertiesBlocks();
        assertThat(blocks).hasSize(1);
        Properties readme = new Properties();
        readme.load(new StringReader(blocks.get(0)));
        assertThat(readme.getProperty("holdfast.uri")).isNotBlank();
        readme.setProperty("holdfast.uri", redis.uri()); // the README's host is the reader's, not the test's
        List<String> pairs = readme.stringPropertyNames().stream().map(k -> k + "=" + readme.getProperty(k)).toList();

        ReadmeSpringSnippets.DONE.clear();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HoldfastAutoConfiguration.class))
                .withPropertyValues(pairs.toArray(String[]::new))
                .withBean(ReadmeSpringSnippets.class)
                .withBean(ReadmeSpringSnippets.Orders.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HoldfastOptions options = context.getBean(HoldfastOptions.class);
                    assertThat(options.watchdogLease()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(options.keyPrefix()).isEqualTo("shop:");
                    assertThat(options.fairWaiterTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(options.replicaAcknowledgement()).contains(
                            new ReplicaAcknowledgement(1, Duration.ofMillis(100), ReplicaAcknowledgement.Policy.WARN));

                    ReadmeSpringSnippets.Orders orders = context.getBean(ReadmeSpringSnippets.Orders.class);
                    orders.ship("42");
                    orders.nightlyReport();
                    assertThat(ReadmeSpringSnippets.DONE).containsExactly("shipped 42", "report");
                    assertThat(context.getBean(Holdfast.class).getLock("orders:42").isLocked()).isFalse();
                    assertThat(redis.commands().keys("shop:{orders:42}*")).as("no lock key left").isEmpty();
                    assertThat(redis.commands().keys("shop:{reports:nightly}*")).as("no lock key left").isEmpty();
                    assertThat(redis.commands().keys("*"))
                            .as("only the fencing-token keys and the client's record, under the prefix")
                            .isNotEmpty().allMatch(k -> k.startsWith("shop:")
                                    && (k.endsWith(":token") || k.startsWith("shop:client:")));
                });
    }
}
