package io.holdfast.it.readme;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.concurrent.TimeUnit;

// The README's read-mostly cache example, quoted from here (run by ReadmeSnippetsTest).
// readme:begin
public final class CatalogCache {

    private final RReadWriteLock lock;
    private final RedisCommands<String, String> store;   // where the snapshot lives

    public CatalogCache(Holdfast holdfast, RedisCommands<String, String> store) {
        this.lock = holdfast.getReadWriteLock("catalog");
        this.store = store;
    }

    /** Many at once, in every process. Waits only while a rebuild runs or is waiting to run. */
    public String price(String sku) {
        RLock read = lock.readLock();
        read.lock();
        try {
            return store.hget("catalog", sku);
        } finally {
            read.unlock();
        }
    }

    /**
     * One at a time. Returns the number of entries now in the snapshot, or -1 if the rebuild could
     * not start within 10 s (try again later).
     */
    public long rebuild(Map<String, String> fresh) throws InterruptedException {
        RLock write = lock.writeLock();
        if (!write.tryLock(10, TimeUnit.SECONDS)) {
            return -1;
        }
        RLock read = lock.readLock();
        try {
            long token = write.getFencingToken();   // larger than the token of any earlier hold
            store.del("catalog");
            store.hset("catalog", fresh);
            store.set("catalog:token", Long.toString(token));
            read.lock();                            // downgrade: readers come back in, no writer does
        } finally {
            write.unlock();
        }
        try {
            return store.hlen("catalog");           // reads what this rebuild wrote
        } finally {
            read.unlock();
        }
    }
}
// readme:end
