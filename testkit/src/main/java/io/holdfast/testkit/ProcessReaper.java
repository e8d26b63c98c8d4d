package io.holdfast.testkit;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Cleans up after fixtures that were never closed (a forgotten {@code close()}, an aborted
 * run): when the JVM exits, kills the processes started by this package, waits briefly for
 * them, then deletes their temporary directories.
 */
final class ProcessReaper {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(
                new Thread(ProcessReaper::reap, "holdfast-testkit-reaper"));
    }

    private ProcessReaper() {}

    /** Tracks {@code process} until it exits. */
    static void register(Process process) {
        PROCESSES.add(process);
        process.onExit().thenRun(() -> PROCESSES.remove(process));
    }

    /** Deletes {@code dir} at JVM exit unless {@link #forget(Path)} is called first. */
    static void register(Path dir) {
        DIRS.add(dir);
    }

    /** Stops tracking {@code dir}; its owner has deleted it. */
    static void forget(Path dir) {
        DIRS.remove(dir);
    }

    private static void reap() {
        PROCESSES.forEach(Process::destroyForcibly);
        for (Process process : PROCESSES) {
            try {
                process.waitFor(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        DIRS.forEach(TempFiles::deleteRecursively);
    }
}
