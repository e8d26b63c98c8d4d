package io.holdfast.spring;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.stereotype.Service;

/**
 * The Spring snippet of {@code README.md}, between {@code // readme:begin} and {@code // readme:end}:
 * it-tests' {@code ReadmeSnippetsTest} checks that the README quotes it, and
 * {@link ReadmeSpringSnippetsTest} runs it in a Spring context against a real redis-server.
 */
class ReadmeSpringSnippets {

    /** What the snippet's hooks saw, for the test to assert. */
    static final List<String> DONE = new CopyOnWriteArrayList<>();

    // readme:begin
    @Service
    class Orders {
        private final Holdfast holdfast;   // auto-configured from holdfast.*
        private final LockRegistry locks;  // Spring Integration's LockRegistry, backed by Holdfast

        Orders(Holdfast holdfast, LockRegistry locks) {
            this.holdfast = holdfast;
            this.locks = locks;
        }

        void ship(String orderId) {
            RLock lock = holdfast.getLock("orders:" + orderId);
            lock.lock();
            try {
                shipNow(orderId);
            } finally {
                lock.unlock();
            }
        }

        void nightlyReport() throws InterruptedException {
            locks.executeLocked("reports:nightly", () -> writeReport());
        }
    }
    // readme:end

    void shipNow(String orderId) {
        DONE.add("shipped " + orderId);
    }

    void writeReport() {
        DONE.add("report");
    }
}
