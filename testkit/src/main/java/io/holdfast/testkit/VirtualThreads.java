package io.holdfast.testkit;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads for code compiled for Java 17 (the build's baseline) that runs on Java 21+: the
 * Java 21 API reached by reflection.
 */
public final class VirtualThreads {

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads (Java 21+). */
    public static boolean available() {
        return Runtime.version().feature() >= 21;
    }

    /**
     * {@code Thread.ofVirtual().name(name).factory()}.
     *
     * @throws IllegalStateException on a Java without virtual threads
     */
    public static ThreadFactory factory(String name) {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object ofVirtual = Thread.class.getMethod("ofVirtual").invoke(null);
            Object named = builder.getMethod("name", String.class).invoke(ofVirtual, name);
            return (ThreadFactory) builder.getMethod("factory").invoke(named);
        } catch (ReflectiveOperationException e) {
            throw unavailable(e);
        }
    }

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()}.
     *
     * @throws IllegalStateException on a Java without virtual threads
     */
    public static ExecutorService perTaskExecutor() {
        try {
            Method m = java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw unavailable(e);
        }
    }

    /** {@code thread.isVirtual()}; false on a Java without virtual threads. */
    public static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IllegalStateException unavailable(Exception e) {
        return new IllegalStateException("virtual threads need Java 21+; this is Java " + Runtime.version(), e);
    }
}
