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
 * from what ran inside scripts ({@code [0 lua]}), which {@code INFO commandstats} cannot, and which
 * script call ran them ({@link #script}): the server shows a script call's line and then the
 * lines of the commands it ran, nothing between them (one thread); the constructor checks that
 * order on the server it attaches to. MONITOR slows Redis down, so the bench only attaches it to
 * cost runs, never to timed ones.
 */
final class MonitorCounter implements AutoCloseable {

    private final Socket socket;
    private final RedisProbe probe;
    private final String marker = "holdfast-bench-" + UUID.randomUUID();
    private final CountDownLatch markerSeen = new CountDownLatch(1);
    private final AtomicLong client = new AtomicLong();
    private final AtomicLong inScripts = new AtomicLong();
    private final Map<String, AtomicLong> clientScriptsBySha = new ConcurrentHashMap<>();
    private final Map<String, ScriptTally> tallies = new ConcurrentHashMap<>();
    private final CountDownLatch orderSeen = new CountDownLatch(1);
    private volatile boolean scriptLineFirst;
    /** The script call whose commands the next {@code [0 lua]} lines are (the reader thread's). */
    private ScriptTally current;
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
        probe.commands().eval("return redis.call('exists', KEYS[1])", io.lettuce.core.ScriptOutputType.INTEGER,
                marker + ":order");
        try {
            if (!orderSeen.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("MONITOR did not show the order check within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!scriptLineFirst) {
            close();
            throw new IllegalStateException("this server's MONITOR shows a script's commands before the script call: "
                    + "per-script counts would be wrong");
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
        if (orderSeen.getCount() > 0 && line.contains(marker + ":order")) {
            if (lua) {
                scriptLineFirst = current == ORDER_CHECK;
                orderSeen.countDown();
            } else {
                current = ORDER_CHECK;
            }
            return;
        }
        if (lua) {
            inScripts.incrementAndGet();
            if (current != null) {
                current.commands.incrementAndGet();
            }
        } else if (!RedisWork.isHousekeeping(command)) {
            client.incrementAndGet();
            current = null;
            if (command.equals("evalsha") && words.length > 1) {
                String sha = words[1].replace("\"", "");
                clientScriptsBySha.computeIfAbsent(sha, k -> new AtomicLong()).incrementAndGet();
                current = tallies.computeIfAbsent(sha, k -> new ScriptTally());
                current.count(line.substring(close + 2));
            } else if (command.equals("eval")) {
                clientScriptsBySha.computeIfAbsent("eval", k -> new AtomicLong()).incrementAndGet();
            }
        } else {
            current = null;
        }
    }

    private static final ScriptTally ORDER_CHECK = new ScriptTally();

    /**
     * What the calls of one script (by digest) cost: the calls, every command they ran (the
     * {@code EVALSHA} itself included) and the {@code ARGV} entries they were given.
     */
    static final class ScriptTally {
        private final AtomicLong calls = new AtomicLong();
        private final AtomicLong commands = new AtomicLong();
        private final AtomicLong args = new AtomicLong();

        // "evalsha" "sha" "numkeys" key... arg...  (MONITOR escapes quotes inside values)
        void count(String words) {
            String[] parts = words.split("\" \"", -1);
            int numKeys = parts.length > 2 ? Integer.parseInt(parts[2].replace("\"", "")) : 0;
            calls.incrementAndGet();
            commands.incrementAndGet();
            args.addAndGet(Math.max(0, parts.length - 3 - numKeys));
        }

        long calls() {
            return calls.get();
        }

        long commands() {
            return commands.get();
        }

        long args() {
            return args.get();
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

    /**
     * The tally of the {@code EVALSHA} calls of script {@code sha} seen so far (zeros if none): call
     * {@link #drain()} first.
     */
    ScriptTally script(String sha) {
        return tallies.getOrDefault(sha, new ScriptTally());
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
