package io.holdfast.demo;

import io.lettuce.core.RedisConnectionException;
import java.util.Arrays;

/**
 * Command line entry point, run by the {@code ./holdfast} launcher at the repository root.
 *
 * <pre>
 *   holdfast demo [--redis URI] [--processes N] [--threads N] [--tickets N]
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "demo" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "demo" -> System.exit(demo(rest));
            case "help", "--help", "-h" -> usage();
            default -> {
                System.err.println("unknown command: " + command);
                usage();
                System.exit(2);
            }
        }
    }

    private static int demo(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            usage();
            return 0;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("holdfast demo: " + e.getMessage() + " (see ./holdfast demo --help)");
            return 2;
        }
        try {
            return SeckillDemo.run(options);
        } catch (RedisConnectionException e) {
            System.err.println("holdfast demo: cannot connect to Redis at " + options.redisUri() + ": "
                    + rootMessage(e));
            return 1;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static void usage() {
        System.out.println("""
                usage: holdfast demo [--redis URI] [--processes N] [--threads N] [--tickets N]

                  demo   the flash-sale ("seckill") demo: N processes x N threads sell a few tickets
                         kept in Redis with a non-atomic read-modify-write, first without a lock
                         (it oversells), then under one Holdfast RLock (it sells exactly the stock).
                         Without --redis (or REDIS_URL) it starts a throwaway redis-server itself.
                """);
    }
}
