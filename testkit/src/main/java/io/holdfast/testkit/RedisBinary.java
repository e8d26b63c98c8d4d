package io.holdfast.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the {@code redis-server} binary: explicit path, then environment, then {@code PATH}, then
 * the build bundled in a Maven Central artifact ({@link BundledRedisBinary}).
 *
 * <p>The system property {@code holdfast.redis=bundled} (or the environment variable
 * {@code HOLDFAST_REDIS=bundled}) forces the bundled Redis 6.2 even where a {@code redis-server} is on
 * the {@code PATH}, as on a machine with only a JDK: {@code ./mvnw -B verify -Dholdfast.redis=bundled}.
 * An explicit {@code RedisServerBuilder.binary(...)} still wins. If the bundled build does not run
 * on this machine, locating fails loudly instead of falling back to another server.
 */
final class RedisBinary {

    /** Environment variable naming the {@code redis-server} binary to use. */
    static final String ENV = "HOLDFAST_REDIS_SERVER";

    /** System property choosing the server: {@code bundled} forces {@link BundledRedisBinary}. */
    static final String PROPERTY = "holdfast.redis";

    /** Environment variable with the same meaning as {@link #PROPERTY} (the property wins). */
    static final String CHOICE_ENV = "HOLDFAST_REDIS";

    private static final String NAME = "redis-server";

    private RedisBinary() {}

    /**
     * Returns the binary to run, or empty if none is configured or on the {@code PATH}.
     *
     * @throws IllegalStateException if an explicitly configured binary is not executable
     */
    static Optional<Path> locate(Path explicit) {
        if (explicit != null) {
            return Optional.of(requireExecutable(explicit, "RedisServerBuilder.binary(...)"));
        }
        if (bundledForced()) {
            return Optional.of(BundledRedisBinary.locate().orElseThrow(() -> new IllegalStateException(
                    PROPERTY + "=bundled asks for the bundled Redis 6.2, but it has no build for this OS and CPU"
                            + " or it does not run here (" + System.getProperty("os.name") + ", "
                            + System.getProperty("os.arch") + ")")));
        }
        String fromEnv = System.getenv(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(requireExecutable(Path.of(fromEnv), ENV));
        }
        Optional<Path> installed = onPath();
        return installed.isPresent() ? installed : BundledRedisBinary.locate();
    }

    /** Whether the bundled Redis 6.2 is asked for by {@link #PROPERTY} or {@link #CHOICE_ENV}. */
    static boolean bundledForced() {
        String choice = System.getProperty(PROPERTY, System.getenv(CHOICE_ENV));
        if (choice == null || choice.isBlank()) {
            return false;
        }
        if (!choice.equals("bundled")) {
            throw new IllegalStateException(PROPERTY + " (or " + CHOICE_ENV + ") is '" + choice
                    + "'; the only value it takes is 'bundled'");
        }
        return true;
    }

    /** Explains how to make a Redis server available to the tests. */
    static String noRedisMessage() {
        return "No Redis server available for tests: '" + NAME + "' is not on the PATH, "
                + ENV + " is not set, the bundled build does not run on this machine, "
                + "and Docker is not available. Do one of:\n"
                + "  - install Redis: apt-get install -y redis-server (Debian/Ubuntu), "
                + "brew install redis (macOS);\n"
                + "  - set " + ENV + "=/path/to/redis-server;\n"
                + "  - start a Docker daemon, so Testcontainers can run redis:7.";
    }

    private static Path requireExecutable(Path binary, String source) {
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new IllegalStateException(source + " names '" + binary
                    + "', which is not an executable file. " + noRedisMessage());
        }
        return binary;
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, NAME);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
