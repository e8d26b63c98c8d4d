package example;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;

/** Compiles against the public API only, as a user's code would. Never run. */
final class Consumer {

    private Consumer() {
    }

    static void use(Holdfast holdfast) {
        RLock lock = holdfast.getLock("orders:42");
        RLock fair = holdfast.getFairLock("queue");
        RReadWriteLock rw = holdfast.getReadWriteLock("config");
        lock.lock();
        try {
            fair.tryLock();
            rw.readLock().tryLock();
        } finally {
            lock.unlock();
        }
    }
}
