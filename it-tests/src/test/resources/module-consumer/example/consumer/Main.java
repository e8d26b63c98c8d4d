package example.consumer;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;

/**
 * Run by ModulePathTest with a Redis URI: takes and releases a lock of every kind, printing one
 * line per lock ("KIND held=... renewed=...": whether the watchdog renews it) and "done" at the end.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        try (Holdfast holdfast = Holdfast.connect(args[0])) {
            RReadWriteLock rw = holdfast.getReadWriteLock("module-path:rw");
            System.out.println("read-write lock from " + rw.getClass().getModule().getName());
            use("reentrant", holdfast, holdfast.getLock("module-path:reentrant"));
            use("fair", holdfast, holdfast.getFairLock("module-path:fair"));
            use("write", holdfast, rw.writeLock());
            use("read", holdfast, rw.readLock());
        }
        System.out.println("done");
    }

    private static void use(String kind, Holdfast holdfast, RLock lock) {
        lock.lock();
        try {
            boolean held = lock.isHeldByCurrentThread();
            System.out.println(kind + " held=" + held + " renewed=" + (holdfast.renewalCount() > 0));
        } finally {
            lock.unlock();
        }
    }
}
