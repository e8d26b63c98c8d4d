package io.holdfast.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads a stream line by line on a daemon thread and lets other threads wait for a line.
 * Concurrency: every field is guarded by {@code this}; the reader thread calls
 * {@code notifyAll()} after each line and at end of stream.
 */
final class LineCollector {

    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private LineCollector() {}

    /** Starts collecting {@code in} on a daemon thread named {@code threadName}. */
    static LineCollector start(InputStream in, String threadName) {
        LineCollector collector = new LineCollector();
        Thread reader = new Thread(() -> collector.readAll(in), threadName);
        reader.setDaemon(true);
        reader.start();
        return collector;
    }

    /** A copy of the lines read so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * Waits until a line matching {@code matcher} has been read, the stream has ended, or
     * {@code deadline} (a {@link System#nanoTime()} value) has passed; returns the first
     * matching line, or empty.
     */
    synchronized Optional<String> await(Predicate<String> matcher, long deadline)
            throws InterruptedException {
        int next = 0;
        while (true) {
            for (; next < lines.size(); next++) {
                if (matcher.test(lines.get(next))) {
                    return Optional.of(lines.get(next));
                }
            }
            long remaining = deadline - System.nanoTime();
            if (ended || remaining <= 0) {
                return Optional.empty();
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
    }

    /** Whether the stream has ended (the child closed stdout or exited). */
    synchronized boolean ended() {
        return ended;
    }

    /** Waits until the stream has ended or {@code deadline} has passed; returns whether it ended. */
    synchronized boolean awaitEnd(long deadline) throws InterruptedException {
        long remaining;
        while (!ended && (remaining = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return ended;
    }

    private void readAll(InputStream in) {
        try (BufferedReader reader =
                     new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                add(line);
            }
        } catch (IOException e) {
            // the process was killed or the stream closed: treat as end of output
        } finally {
            end();
        }
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    private synchronized void end() {
        ended = true;
        notifyAll();
    }
}
