package io.holdfast.bench;

import java.time.Duration;

/**
 * The crash scenario's holder, run in a child JVM:
 * {@code CrashHolderMain LIBRARY REDIS_URI LEASE_MILLIS LOCK_NAME}. Takes the lock with the
 * watchdog, prints {@code held}, then blocks until killed.
 */
public final class CrashHolderMain {

    private CrashHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        Library library = Library.valueOf(args[0]);
        LockClient client = library.connect(args[1], Duration.ofMillis(Long.parseLong(args[2])));
        client.lock(args[3]).lock();
        System.out.println("held");
        System.out.flush();
        while (System.in.read() >= 0) {
            // blocks until the parent kills this JVM
        }
    }
}
