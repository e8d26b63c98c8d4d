package io.holdfast.tools;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockInspector;
import io.holdfast.LockState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@code ./holdfast inspect}: what locks look like on the server, read only (see
 * {@link LockInspector}); and {@code --force-unlock}, the one option that changes a lock, after a
 * confirmation.
 */
public final class InspectMain {

    static final String USAGE = """
            usage: ./holdfast inspect [--redis URI] [--prefix P] [--json] [--watch [SECONDS]] [--limit N] NAME|PATTERN
                   ./holdfast inspect [--redis URI] [--prefix P] --force-unlock NAME [--yes]

              NAME|PATTERN   a lock name, or a Redis glob over lock names (*, ?, [..]) found with SCAN
              --redis URI    the Redis to read (default: $HOLDFAST_REDIS, else redis://127.0.0.1:6379):
                             redis://, rediss://, redis-sentinel://... or redis-cluster://host:port,...
                             (on a Cluster each lock is read on its master, a pattern scans every master)
              --prefix P     the clients' key prefix (default holdfast:)
              --json         one JSON document per refresh, for scripts
              --watch [S]    print again every S seconds (default 2) until interrupted
              --limit N      at most N locks for a pattern (default 100)
              --force-unlock NAME
                             frees lock NAME whoever holds it (its holders are told their lease was lost,
                             the next waiter gets it); shows the lock and asks for confirmation first
              --yes          do not ask

            Reads only (SCAN, never KEYS; no script runs) unless --force-unlock is given. Holders and waiters
            are mapped to a host and pid through the client records and named connections of their clients.
            """;

    private InspectMain() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, System.out, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the command.
     *
     * @return the exit code: 0 done, 1 nothing found or not confirmed, 2 bad usage
     */
    static int run(String[] args, PrintStream out, BufferedReader in) throws IOException, InterruptedException {
        String uri = System.getenv().getOrDefault("HOLDFAST_REDIS", "redis://127.0.0.1:6379");
        String prefix = "holdfast:";
        String target = null;
        String forceUnlock = null;
        boolean json = false;
        boolean yes = false;
        long watchSeconds = 0;
        int limit = 100;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--redis" -> uri = args[++i];
                    case "--prefix" -> prefix = args[++i];
                    case "--json" -> json = true;
                    case "--yes" -> yes = true;
                    case "--limit" -> limit = Integer.parseInt(args[++i]);
                    case "--force-unlock" -> forceUnlock = args[++i];
                    case "--watch" -> watchSeconds = i + 1 < args.length && args[i + 1].matches("[0-9]+")
                            ? Long.parseLong(args[++i]) : 2;
                    default -> {
                        if (args[i].startsWith("--") || target != null) {
                            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                        }
                        target = args[i];
                    }
                }
            }
            if ((target == null) == (forceUnlock == null)) {
                throw new IllegalArgumentException("give one lock name or pattern, or --force-unlock NAME");
            }
        } catch (RuntimeException e) {
            out.println("holdfast inspect: " + (e instanceof ArrayIndexOutOfBoundsException
                    ? "an option is missing its value" : e.getMessage()));
            out.print(USAGE);
            return 2;
        }
        HoldfastOptions options = HoldfastOptions.builder(uri).keyPrefix(prefix).build();
        try (LockInspector inspector = LockInspector.connect(options)) {
            if (forceUnlock != null) {
                return forceUnlock(inspector, options, forceUnlock, yes, out, in);
            }
            while (true) {
                List<LockState> states = read(inspector, target, limit);
                if (watchSeconds > 0 && !json) {
                    out.print("\033[H\033[2J" + Instant.now() + "  ./holdfast inspect " + target + "\n\n");
                }
                out.print(json ? InspectFormat.json(states) : InspectFormat.human(states));
                out.flush();
                if (watchSeconds == 0) {
                    return states.isEmpty() ? 1 : 0;
                }
                Thread.sleep(watchSeconds * 1000); // a refresh period for a person watching, not a synchronisation
            }
        }
    }

    private static List<LockState> read(LockInspector inspector, String target, int limit) {
        boolean pattern = target.contains("*") || target.contains("?") || target.contains("[");
        return pattern ? inspector.scan(target, limit) : inspector.inspect(target).stream().toList();
    }

    private static int forceUnlock(LockInspector inspector, HoldfastOptions options, String name, boolean yes,
            PrintStream out, BufferedReader in) throws IOException {
        List<LockState> state = inspector.inspect(name).stream().toList();
        out.print(InspectFormat.human(state));
        if (state.isEmpty() || state.get(0).holders().isEmpty()) {
            out.println("lock '" + name + "' is not held: nothing to force-unlock");
            return 1;
        }
        if (!yes) {
            out.print("force-unlock '" + name + "'? Its holders lose it (their unlock throws LockLostException)"
                    + " and the next waiter gets it. [y/N] ");
            out.flush();
            String answer = in.readLine();
            if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
                out.println("not unlocked");
                return 1;
            }
        }
        try (Holdfast client = Holdfast.connect(options)) {
            boolean wasHeld = state.get(0).kind().equals("read-write")
                    ? client.getReadWriteLock(name).writeLock().forceUnlock()
                    : client.getLock(name).forceUnlock();
            out.println(wasHeld ? "force-unlocked '" + name + "'" : "lock '" + name + "' was no longer held");
            return 0;
        }
    }
}
