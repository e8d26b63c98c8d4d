package io.holdfast.stress;

import io.lettuce.core.RedisFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An already answered Lettuce command: what the fake connections hand back. */
final class Replies<T> extends CompletableFuture<T> implements RedisFuture<T> {

    static <T> Replies<T> of(T value) {
        Replies<T> r = new Replies<>();
        r.complete(value);
        return r;
    }

    @Override
    public String getError() {
        return null;
    }

    @Override
    public boolean await(long timeout, TimeUnit unit) {
        return true;
    }
}
