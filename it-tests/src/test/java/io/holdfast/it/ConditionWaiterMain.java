package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import java.time.Duration;

/**
 * Child-JVM program that waits on a lock's default condition for ever, for the dead-waiter test.
 * Arguments: redis URI, lock name, waiter timeout in ms. Prints {@code awaiting} just before it
 * calls {@code await()} (its registration follows at once; the test waits for it on the server).
 */
public final class ConditionWaiterMain {

    private ConditionWaiterMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(args[0])
                .fairWaiterTimeout(Duration.ofMillis(Long.parseLong(args[2]))).build())) {
            RLock lock = holdfast.getLock(args[1]);
            lock.lock();
            System.out.println("awaiting");
            lock.newCondition().await();
        }
    }
}
