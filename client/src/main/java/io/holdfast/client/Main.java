package io.holdfast.client;

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
            case "demo" -> System.exit(SeckillDemo.run(DemoOptions.parse(rest)));
            case "help", "--help", "-h" -> usage();
            default -> {
                System.err.println("unknown command: " + command);
                usage();
                System.exit(2);
            }
        }
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
