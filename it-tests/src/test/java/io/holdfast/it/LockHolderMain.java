package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.Lease;
import io.holdfast.RLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Child-JVM program that takes one reentrant lock and keeps it, for the fault tests. Arguments:
 * redis URI, lock name, watchdog lease in ms. Takes the lock with {@code lock()} (watchdog-renewed)
 * and prints {@code locked <clientId>}; prints {@code lost} when the hold's {@link Lease#whenLost()}
 * fires. On an {@code unlock} line from stdin it unlocks and prints {@code unlocked}, or
 * {@code unlock-failed <exception class>} if that throws; it exits at the end of stdin.
 */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String name = args[1];
        Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(uri).watchdogLease(lease).build())) {
            RLock lock = holdfast.getLock(name);
            lock.lock();
            lock.currentLease().orElseThrow().whenLost().thenRun(() -> System.out.println("lost"));
            System.out.println("locked " + holdfast.clientId());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals("unlock")) {
                    try {
                        lock.unlock();
                        System.out.println("unlocked");
                    } catch (RuntimeException e) {
                        System.out.println("unlock-failed " + e.getClass().getSimpleName());
                    }
                }
            }
        }
    }
}
