package io.holdfast.bench;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;

/** What a scenario runs against: the libraries compared, and the floor no lock can beat. */
enum Library {

    /** Holdfast, this repository. */
    HOLDFAST("Holdfast"),
    /** Redisson, the reference (a bench-only dependency). */
    REDISSON("Redisson"),
    /** Spring Integration's {@code RedisLockRegistry}, pub/sub lock type (a bench-only dependency). */
    SPRING("Spring"),
    /**
     * Not a lock: every {@code lock()} and {@code unlock()} is one {@code EVALSHA} of a script that
     * returns 1, so a scenario run on it does the same number of round trips as a 1-round-trip lock.
     */
    FLOOR("floor");

    private final String label;

    Library(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * Connects one client instance.
     *
     * @param watchdogLease the lease of watchdog-renewed holds (Redisson renews them every third of it, Holdfast past half of it)
     */
    LockClient connect(String redisUri, Duration watchdogLease) {
        return switch (this) {
            case HOLDFAST -> HoldfastLocks.connect(redisUri, watchdogLease);
            case REDISSON -> RedissonLocks.connect(redisUri, watchdogLease);
            case SPRING -> SpringLocks.connect(redisUri, watchdogLease);
            case FLOOR -> FloorLocks.connect(redisUri);
        };
    }

    /** The library's version, as its jar states it. */
    String version() {
        return switch (this) {
            case HOLDFAST -> versionOf("io.holdfast", "holdfast-core");
            case REDISSON -> versionOf("org.redisson", "redisson");
            case SPRING -> springVersion();
            case FLOOR -> "Lettuce " + versionOf("io.lettuce", "lettuce-core");
        };
    }

    /** Spring's jars carry no pom.properties: the build writes the pinned versions into a resource. */
    private static String springVersion() {
        Properties p = new Properties();
        try (InputStream in = Library.class.getResourceAsStream("peer-versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // "?" below
        }
        return "Spring Integration " + p.getProperty("spring-integration", "?") + " RedisLockRegistry (PUB_SUB_LOCK)"
                + " on spring-data-redis " + p.getProperty("spring-data-redis", "?");
    }

    /** From the pom.properties Maven puts in every jar (kept in the shaded jar). */
    static String versionOf(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Library.class.getResourceAsStream(resource)) {
            if (in == null) {
                return "?";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }
}
