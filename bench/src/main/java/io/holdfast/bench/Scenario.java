package io.holdfast.bench;

import java.time.Duration;
import java.util.List;

/** One row group of RESULTS.md: a workload run on each library, and its targets. */
interface Scenario {

    /** Default lease (Holdfast's and Redisson's default watchdog timeout). */
    Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /** Both libraries and the floor, for scenarios where the floor means something. */
    List<Library> WITH_FLOOR = List.of(Library.HOLDFAST, Library.REDISSON, Library.FLOOR);

    /** Holdfast and both peers (Redisson, Spring's RedisLockRegistry): the exclusive-lock scenarios. */
    List<Library> PEERS = List.of(Library.HOLDFAST, Library.REDISSON, Library.SPRING);

    /** Both peers and the floor. */
    List<Library> PEERS_AND_FLOOR = List.of(Library.HOLDFAST, Library.REDISSON, Library.SPRING, Library.FLOOR);

    /** Short id, e.g. {@code uncontended}. */
    String id();

    /** What the workload does, one or two sentences of Markdown. */
    String description();

    /** The libraries it runs on, in interleaving order. */
    default List<Library> libraries() {
        return List.of(Library.HOLDFAST, Library.REDISSON);
    }

    /**
     * Interleaved rounds to run: the settings' count, or more for a short single-thread latency
     * scenario, whose median moves most with this machine's scheduling noise.
     */
    default int rounds(Settings settings) {
        return settings.rounds();
    }

    /** One round on {@code library}: starts its own clients and closes them. */
    Measurement run(Library library, Bench bench) throws Exception;

    /** What the issue asks of Holdfast here. */
    List<Target> targets();

    /** The latency histogram drawn in the chart, if any. */
    default String charted() {
        return null;
    }
}
