package io.holdfast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts commands with {@code MONITOR}, telling apart what clients sent ({@code [0 127.0.0.1:port]})
 * from what ran inside scripts ({@code [0 lua]}), which {@code INFO commandstats} cannot. MONITOR
 * slows Redis down, so the bench only attaches it to short cost runs, never to timed ones.
 */
final class MonitorCounter implements AutoCloseable {

    private final Socket socket;
    private final RedisProbe probe;
    private final String marker = "holdfast-bench-" + UUID.randomUUID();
    private final CountDownLatch markerSeen = new CountDownLatch(1);
    private final AtomicLong client = new AtomicLong();
    private final AtomicLong inScripts = new AtomicLong();
    private final Map<String, AtomicLong> clientScriptsBySha = new ConcurrentHashMap<>();
    private final Thread reader;

    /** Attaches to the probe's server; returns once MONITOR is on. */
    MonitorCounter(RedisProbe probe, String host, int port) {
        this.probe = probe;
        try {
            this.socket = new Socket(host, port);
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String ok = in.readLine();
            if (!"+OK".equals(ok)) {
                throw new IllegalStateException("MONITOR refused: " + ok);
            }
            this.reader = new Thread(() -> read(in), "bench-monitor");
            reader.setDaemon(true);
            reader.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                count(line);
            }
        } catch (IOException e) {
            // closed
        }
    }

    // +1700000000.123456 [0 lua] "hincrby" "k" "f" "1"   /   +1700... [0 127.0.0.1:5555] "evalsha" "sha" ...
    private void count(String line) {
        int close = line.indexOf(']');
        if (close < 0) {
            return;
        }
        boolean lua = line.regionMatches(close - 3, "lua", 0, 3);
        String[] words = line.substring(close + 2).split("\" \"", 3);
        String command = words[0].replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        if (command.equals("echo") && line.contains(marker)) {
            markerSeen.countDown();
            return;
        }
        if (lua) {
            inScripts.incrementAndGet();
        } else if (!RedisWork.isHousekeeping(command)) {
            client.incrementAndGet();
            if (command.equals("evalsha") && words.length > 1) {
                clientScriptsBySha.computeIfAbsent(words[1].replace("\"", ""), k -> new AtomicLong()).incrementAndGet();
            } else if (command.equals("eval")) {
                clientScriptsBySha.computeIfAbsent("eval", k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /** Waits until every command sent before this call has been counted. */
    MonitorCounter drain() {
        probe.commands().echo(marker);
        try {
            if (!markerSeen.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("MONITOR fell behind by more than 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Commands sent by clients (round trips), housekeeping left out. */
    long clientCommands() {
        return client.get();
    }

    /** Commands run inside scripts. */
    long scriptCommands() {
        return inScripts.get();
    }

    /** Client script calls per script digest ({@code "eval"} for EVAL). */
    Map<String, Long> scriptCallsBySha() {
        Map<String, Long> copy = new java.util.HashMap<>();
        clientScriptsBySha.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
