package io.holdfast.fair;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A fair-lock waiter in a child JVM. Arguments: Redis URI, lock name, fair waiter timeout in ms.
 * Prints {@code ready <holderId>} once connected, then obeys stdin: {@code lock} takes the lock
 * (blocking; the waiter is queued meanwhile), prints {@code acquired <nanoTime> <fencingToken>},
 * releases it and prints {@code released <nanoTime taken just before unlock()>}. Exits when stdin ends.
 */
public final class FairWaiterMain {

    private FairWaiterMain() {
    }

    public static void main(String[] args) throws Exception {
        HoldfastOptions options = HoldfastOptions.builder(args[0])
                .fairWaiterTimeout(Duration.ofMillis(Long.parseLong(args[2]))).build();
        try (Holdfast holdfast = Holdfast.connect(options)) {
            RLock lock = holdfast.getFairLock(args[1]);
            System.out.println("ready " + holdfast.clientId() + ":" + Thread.currentThread().getId());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("lock")) {
                    lock.lock();
                    System.out.println("acquired " + System.nanoTime() + " " + lock.getFencingToken());
                    // the critical section ends when unlock() is called: the next holder may get
                    // the lock before this unlock() returns
                    long leaving = System.nanoTime();
                    lock.unlock();
                    System.out.println("released " + leaving);
                }
            }
        }
    }
}
