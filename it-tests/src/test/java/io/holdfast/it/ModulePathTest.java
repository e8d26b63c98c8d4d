package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.testkit.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's module descriptors work on the module path (every other test runs on the class
 * path): a user's module that {@code requires io.holdfast.core} alone compiles against the public
 * API, cannot compile against {@code io.holdfast.spi}, and, run in a child JVM on the module path
 * against a real server, gets a lock of every kind and locks and unlocks it. That proves the
 * resolver binds the kinds and the watchdog as providers of core's services (no
 * {@code META-INF/services} is read for them there), and that core reads the Lua scripts the kinds
 * keep in their own, encapsulated packages.
 *
 * <p>The module path is this JVM's class path narrowed to the library modules (exploded, their
 * {@code target/classes}, or jars) and their runtime dependencies. The child names those
 * dependencies with {@code --add-modules}, never a Holdfast module: Lettuce is an automatic module,
 * which requires nothing, so the Netty and Reactor modules it uses are resolved only when named (a
 * user runs Lettuce on the module path the same way, or with {@code ALL-MODULE-PATH}).
 */
@Tag("integration")
class ModulePathTest {

    /** The module names (or prefixes, ending in '.') the module path is made of. */
    private static final List<String> MODULES = List.of("io.holdfast.core", "io.holdfast.watchdog",
            "io.holdfast.reentrant", "io.holdfast.fair", "io.holdfast.readwrite", "lettuce.core", "io.netty.",
            "reactor.core", "org.reactivestreams", "com.github.benmanes.caffeine", "org.slf4j",
            "org.slf4j.simple");

    @TempDir
    Path dir;

    @Test
    void aModuleThatRequiresCore_locksEveryKind_onTheModulePath() throws Exception {
        Map<String, String> modules = modulePath();
        String modulePath = String.join(File.pathSeparator, modules.values());
        Path out = dir.resolve("consumer");
        compile(sources("module-consumer"), modulePath, out).assertSucceeded();
        // what Lettuce needs resolved; none of Holdfast's modules but core (which the consumer requires)
        String lettucesModules = modules.keySet().stream().filter(n -> !n.startsWith("io.holdfast."))
                .collect(Collectors.joining(","));

        try (RedisServer server = RedisServer.start()) {
            List<String> command = List.of(java(), "--module-path", out + File.pathSeparator + modulePath,
                    "--add-modules", lettucesModules, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-m", "example.consumer/example.consumer.Main", server.uri());
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = child.getInputStream()) {
                boolean ended = child.waitFor(60, TimeUnit.SECONDS);
                if (!ended) {
                    child.destroyForcibly();
                }
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
                assertThat(ended).as("the child JVM ended within 60 s; it printed:%n%s", output).isTrue();
            }
            System.out.println(String.join(" ", command) + "\n" + output);
            assertThat(child.exitValue()).as("exit code; the child printed:%n%s", output).isZero();
            assertThat(output).as("the child's output").containsSubsequence(
                    "read-write lock from io.holdfast.readwrite\n",
                    "reentrant held=true renewed=true\n",
                    "fair held=true renewed=true\n",
                    "write held=true renewed=true\n",
                    "read held=true renewed=true\n",
                    "done\n");
        }
    }

    @Test
    void aModuleThatRequiresCore_cannotReachTheSpiOrTheEngine() throws IOException {
        String modulePath = String.join(File.pathSeparator, modulePath().values());
        Compilation c = compile(sources("module-consumer-spi"), modulePath, dir.resolve("spi"));

        assertThat(c.exitCode()).as(c.output()).isNotZero();
        assertThat(c.output()).contains("package io.holdfast.spi is not visible")
                .contains("package io.holdfast.internal is not visible");
    }

    private record Compilation(int exitCode, String output) {
        void assertSucceeded() {
            assertThat(exitCode).as(output).isZero();
        }
    }

    private static Compilation compile(Path sources, String modulePath, Path out) throws IOException {
        List<String> args = new ArrayList<>(List.of("--release", "17", "--module-path", modulePath, "-d", out.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(messages, true, StandardCharsets.UTF_8);
        int code = ToolProvider.getSystemJavaCompiler().run(null, err, err, args.toArray(String[]::new));
        return new Compilation(code, messages.toString(StandardCharsets.UTF_8));
    }

    /** The test resource directory {@code name}: a module's sources. */
    private static Path sources(String name) {
        try {
            return Path.of(ModulePathTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entries of this JVM's class path that are one of {@link #MODULES}, by module name. */
    private static Map<String, String> modulePath() {
        Map<String, String> picked = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            moduleName(Path.of(entry))
                    .filter(n -> MODULES.stream().anyMatch(m -> m.endsWith(".") ? n.startsWith(m) : n.equals(m)))
                    .ifPresent(n -> picked.put(n, entry));
        }
        assertThat(picked.keySet()).as("module path")
                .containsAll(MODULES.stream().filter(m -> !m.endsWith(".")).toList())
                .anyMatch(n -> n.startsWith("io.netty."));
        return picked;
    }

    /** The name of the one module at {@code entry} (a jar or an exploded module), if it is one. */
    private static Optional<String> moduleName(Path entry) {
        if (Files.isDirectory(entry) && !Files.exists(entry.resolve("module-info.class"))) {
            return Optional.empty(); // a class directory, not an exploded module
        }
        try {
            List<ModuleReference> found = new ArrayList<>(ModuleFinder.of(entry).findAll());
            return found.size() == 1 ? Optional.of(found.get(0).descriptor().name()) : Optional.empty();
        } catch (FindException e) {
            return Optional.empty();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
