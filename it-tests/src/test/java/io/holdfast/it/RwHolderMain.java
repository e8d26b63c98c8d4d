package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import java.io.IOException;
import java.time.Duration;

/**
 * Child-JVM program: takes one role of a read-write lock and keeps it until killed.
 * Arguments: redis URI, lock name, watchdog lease in ms, {@code read} or {@code write}. Prints
 * {@code trying <holderId>} before the (blocking) acquisition and {@code locked <holderId>} after
 * it, then waits for stdin to close.
 */
public final class RwHolderMain {

    private RwHolderMain() {
    }

    public static void main(String[] args) throws IOException {
        Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(args[0])
                .watchdogLease(Duration.ofMillis(Long.parseLong(args[2]))).build());
        RReadWriteLock rw = holdfast.getReadWriteLock(args[1]);
        RLock lock = args[3].equals("write") ? rw.writeLock() : rw.readLock();
        String holder = holdfast.clientId() + ":" + Thread.currentThread().getId();
        System.out.println("trying " + holder);
        lock.lock();
        System.out.println("locked " + holder);
        while (System.in.read() >= 0) {
            // hold until killed or stdin closes
        }
        lock.unlock();
        holdfast.close();
    }
}
