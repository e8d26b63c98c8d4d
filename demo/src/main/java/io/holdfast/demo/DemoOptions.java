package io.holdfast.demo;

/**
 * Options of the demo, from the command line and {@code REDIS_URL}.
 *
 * @param redisUri the Redis to use, or null to start a throwaway one
 * @param processes how many worker JVMs
 * @param threads buyer threads per worker JVM
 * @param tickets the stock on sale
 */
record DemoOptions(String redisUri, int processes, int threads, int tickets) {

    static DemoOptions parse(String[] args) {
        String redis = System.getenv("REDIS_URL");
        int processes = 4;
        int threads = 50;
        int tickets = 10;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--redis" -> redis = required(args[i], value);
                case "--processes" -> processes = positive(args[i], value);
                case "--threads" -> threads = positive(args[i], value);
                case "--tickets" -> tickets = positive(args[i], value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        return new DemoOptions(redis == null || redis.isBlank() ? null : redis, processes, threads, tickets);
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(required(option, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number: " + value, e);
        }
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1: " + n);
        }
        return n;
    }
}
