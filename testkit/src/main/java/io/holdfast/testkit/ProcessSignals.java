package io.holdfast.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Pauses and resumes processes with {@code SIGSTOP}/{@code SIGCONT}, sent by the {@code kill}
 * command. Where {@code /proc} exists (Linux), each call also waits until the kernel reports
 * the new state, so a caller can rely on the process being frozen (or running) on return.
 */
final class ProcessSignals {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_NANOS = 200_000;
    private static final String KILL = Stream.of("/bin/kill", "/usr/bin/kill")
            .filter(path -> Files.isExecutable(Path.of(path)))
            .findFirst()
            .orElse("kill");

    private ProcessSignals() {}

    /** Sends {@code SIGSTOP} and waits until the process is stopped. */
    static void pause(Process process) {
        send("STOP", process.pid());
        awaitStopped(process, true);
    }

    /**
     * Sends {@code SIGCONT} and waits until the process is no longer stopped. A process that has
     * already exited (killed while it was paused) has nothing to resume: that is not an error.
     */
    static void resume(Process process) {
        try {
            send("CONT", process.pid());
        } catch (IllegalStateException e) {
            if (!hasExited(process)) {
                throw e;
            }
            return;
        }
        awaitStopped(process, false);
    }

    /**
     * Whether the process has exited. {@code kill} finds no such process as soon as the JVM has
     * reaped it, a moment before {@link Process#isAlive()} turns false; so wait that moment out.
     */
    private static boolean hasExited(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void send(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder(KILL, "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + pid + " hung");
            }
            if (kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    private static void awaitStopped(Process process, boolean stopped) {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Files.exists(stat)) {
            return;
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (process.isAlive() && isStopped(stat) != stopped) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("pid " + process.pid() + " did not become "
                        + (stopped ? "stopped" : "running") + " within " + TIMEOUT);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Reads the state letter that follows the parenthesised command name in /proc/PID/stat. */
    private static boolean isStopped(Path stat) {
        try {
            String line = Files.readString(stat);
            char state = line.charAt(line.lastIndexOf(')') + 2);
            return state == 'T' || state == 't';
        } catch (IOException e) {
            return false;
        }
    }
}
