package io.holdfast.watchdog;

import io.holdfast.spi.RedisGateway;
import io.holdfast.spi.Renewable;
import io.holdfast.spi.Script;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one batch of renewals as one script call (see {@link Renewable} for the script's
 * arguments) and reads back which items were renewed.
 */
class RenewalSender {

    private final RedisGateway redis;

    RenewalSender(RedisGateway redis) {
        this.redis = redis;
    }

    /**
     * Renews {@code batch}, all of the same script and lease.
     *
     * @return one flag per item, in order: renewed, or gone from the server
     */
    CompletableFuture<boolean[]> send(Script script, long leaseMillis, List<Renewable> batch) {
        List<String> keys = new ArrayList<>(batch.size());
        List<String> args = new ArrayList<>(batch.size() + 2);
        args.add(Long.toString(leaseMillis));
        args.add(Integer.toString(batch.get(0).renewKeys().size()));
        for (Renewable item : batch) {
            keys.addAll(item.renewKeys());
            args.add(item.renewArg());
        }
        CompletableFuture<List<Long>> reply = redis.eval(script, ScriptOutputType.MULTI,
                keys.toArray(String[]::new), args.toArray(String[]::new));
        return reply.thenApply(flags -> {
            boolean[] renewed = new boolean[batch.size()];
            for (int i = 0; i < renewed.length; i++) {
                renewed[i] = flags.get(i) == 1L;
            }
            return renewed;
        });
    }
}
