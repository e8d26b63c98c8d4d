package io.holdfast.testkit;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class running in a separate JVM, for cross-process tests.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(LockHolderMain.class, redis.uri())) {
 *     child.awaitLine(line -> line.equals("acquired"), Duration.ofSeconds(10));
 *     child.kill9();
 * }
 * }</pre>
 *
 * <p>The child uses this JVM's {@code java} binary and class path. Its stdout is read line by
 * line on a daemon thread; its stderr goes to a temporary file. Both appear in the message of
 * every {@link AssertionError} thrown here. Methods that wait are bounded by the given
 * timeout; if the calling thread is interrupted they restore its interrupt flag and throw
 * {@link IllegalStateException}. {@link #close()} kills the child and deletes the file.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 50;

    private final String mainClass;
    private final Path dir;
    private final Path stderrFile;
    private final Process process;
    private final LineCollector stdout;
    private final Writer stdin;

    private ChildJvm(String mainClass, Path dir, Process process) {
        this.mainClass = mainClass;
        this.dir = dir;
        this.stderrFile = dir.resolve("stderr.log");
        this.process = process;
        this.stdout = LineCollector.start(process.getInputStream(), "child-jvm-" + process.pid());
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code mainClass} with {@code args} and default JVM flags. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return builder(mainClass).arg(args).start();
    }

    /** Returns a builder for a child running {@code mainClass}. */
    public static ChildJvmBuilder builder(Class<?> mainClass) {
        return new ChildJvmBuilder(mainClass.getName());
    }

    /** Returns a builder for a child running the class named {@code mainClass}. */
    public static ChildJvmBuilder builder(String mainClass) {
        return new ChildJvmBuilder(mainClass);
    }

    static ChildJvm launch(List<String> command, String mainClass) {
        Path dir = TempFiles.createDir("holdfast-child-");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(Redirect.to(dir.resolve("stderr.log").toFile()))
                    .start();
            ProcessReaper.register(process);
            return new ChildJvm(mainClass, dir, process);
        } catch (IOException e) {
            TempFiles.deleteRecursively(dir);
            throw new IllegalStateException("cannot start child JVM: " + command, e);
        }
    }

    /**
     * Waits until the child has printed a line matching {@code matcher} and returns the first
     * such line (including lines printed before this call).
     *
     * @throws AssertionError with the output so far if no line matches within {@code timeout},
     *     or as soon as the child's stdout ends without a match
     */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        Optional<String> line;
        try {
            line = stdout.await(matcher, System.nanoTime() + timeout.toNanos());
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        if (line.isPresent()) {
            return line.get();
        }
        if (!process.isAlive() || stdout.ended()) {
            waitFor(Duration.ofSeconds(5)); // let the exit code show up in the message
            throw new AssertionError("the child's stdout ended without a matching line\n"
                    + describe());
        }
        throw new AssertionError(
                "no matching line from the child within " + timeout + "\n" + describe());
    }

    /** A snapshot of the stdout lines printed so far. */
    public List<String> lines() {
        return stdout.lines();
    }

    /** What the child has written to stderr so far. */
    public String stderr() {
        return TempFiles.tail(stderrFile, 0, Integer.MAX_VALUE);
    }

    /**
     * Writes {@code line} and a newline to the child's stdin.
     *
     * @throws IllegalStateException if the child has closed stdin or exited
     */
    public void sendLine(String line) {
        try {
            synchronized (stdin) {
                stdin.write(line + "\n");
                stdin.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to the child: " + e + "\n" + describe(), e);
        }
    }

    /** The child's operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child is still alive (a paused child is alive). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Kills the child with {@code SIGKILL} (no shutdown hooks run) and waits up to 10 s for it
     * to exit. Does nothing if it has exited already.
     *
     * @throws IllegalStateException if it is still alive after 10 s
     */
    public void kill9() {
        process.destroyForcibly();
        if (!waitFor(EXIT_TIMEOUT)) {
            throw new IllegalStateException("child pid " + pid() + " survived SIGKILL");
        }
    }

    /** Freezes the child with {@code SIGSTOP}; returns once the kernel reports it stopped. */
    public void pause() {
        ProcessSignals.pause(process);
    }

    /**
     * Continues a paused child with {@code SIGCONT}; a child that has exited meanwhile (killed while
     * paused) is left as it is, without an error: {@link #isAlive()} tells.
     */
    public void resume() {
        ProcessSignals.resume(process);
    }

    /**
     * Waits for the child to exit and for its stdout to be read to the end.
     *
     * @return the exit code; 137 if it was killed by {@code SIGKILL}
     * @throws AssertionError with the output so far if it is still running after {@code timeout}
     */
    public int waitForExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!waitFor(timeout)) {
            throw new AssertionError("child still running after " + timeout + "\n" + describe());
        }
        try {
            stdout.awaitEnd(Math.max(deadline, System.nanoTime() + EXIT_TIMEOUT.toNanos()));
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        return process.exitValue();
    }

    /** Kills the child if it is alive and deletes its stderr file. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill9();
            }
        } finally {
            TempFiles.deleteRecursively(dir);
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[pid=" + pid() + ", main=" + mainClass + "]";
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted while waiting for " + this, e);
    }

    /** Status, stdout tail and stderr tail, for failure messages. */
    private String describe() {
        String status = process.isAlive() ? "running" : "exited with code " + process.exitValue();
        List<String> out = lines();
        List<String> tail = out.subList(Math.max(0, out.size() - TAIL_LINES), out.size());
        return this + " " + status
                + "\n--- stdout (last " + tail.size() + " of " + out.size() + " lines) ---\n"
                + String.join("\n", tail)
                + "\n--- stderr (tail) ---\n" + TempFiles.tail(stderrFile, 0, TAIL_LINES);
    }
}
