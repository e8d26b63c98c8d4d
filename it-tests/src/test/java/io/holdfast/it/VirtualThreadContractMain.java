package io.holdfast.it;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.holdfast.testkit.OwnerThread;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Child JVM of {@link VirtualThreadsTest}, started on a Java 21+ JDK with
 * {@code -Dholdfast.test.virtualThreads=true}: runs the lock contract suites (their owner threads
 * are then virtual, see {@link OwnerThread}) and {@link VirtualThreadCounterCheck} through the JUnit
 * launcher, with a JFR recording of {@code jdk.VirtualThreadPinned} (every pinning, no threshold).
 * Prints
 * <pre>
 * tests: found F, succeeded S, failed X, aborted A, skipped K
 * pinned: P events, C while loading or initialising a class, H with Holdfast frames
 * </pre>
 * then each failure and each pinning in Holdfast's code; exits 0 when nothing failed, aborted or
 * was skipped and no pinning has a frame of a Holdfast library package (a pinning while a class is
 * loaded or initialised is counted apart: the JVM pins there whoever asked for the class).
 */
public final class VirtualThreadContractMain {

    /** The suites run on virtual threads. */
    static final List<Class<?>> SUITES = List.of(ReentrantLockContractTest.class, FairLockContractTest.class,
            ReadLockContractTest.class, WriteLockContractTest.class, ReentrantConditionTest.class,
            VirtualThreadCounterCheck.class);

    private static final String PINNED = "jdk.VirtualThreadPinned";

    private VirtualThreadContractMain() {
    }

    public static void main(String[] args) throws Exception {
        if (!Boolean.getBoolean(OwnerThread.VIRTUAL_PROPERTY)) {
            throw new IllegalStateException("run with -D" + OwnerThread.VIRTUAL_PROPERTY + "=true");
        }
        Path jfr = Files.createTempFile("holdfast-pinned-", ".jfr");
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        try (Recording recording = new Recording()) {
            recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request(), listener);
            recording.stop();
            recording.dump(jfr);
        }
        TestExecutionSummary s = listener.getSummary();
        System.out.printf("tests: found %d, succeeded %d, failed %d, aborted %d, skipped %d%n",
                s.getTestsFoundCount(), s.getTestsSucceededCount(), s.getTestsFailedCount(),
                s.getTestsAbortedCount(), s.getTestsSkippedCount());
        int pinned = 0;
        int inHoldfast = 0;
        int loading = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals(PINNED)) {
                continue; // a library's own events (Lettuce records its connections), enabled by default
            }
            pinned++;
            List<RecordedFrame> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
            if (frames.stream().anyMatch(VirtualThreadContractMain::isClassLoading)) {
                loading++;
            } else if (frames.stream().anyMatch(VirtualThreadContractMain::isLibraryFrame)) {
                inHoldfast++;
                System.out.println("pinned in Holdfast: " + event);
            }
        }
        Files.delete(jfr);
        System.out.printf("pinned: %d events, %d while loading or initialising a class, %d with Holdfast frames%n",
                pinned, loading, inHoldfast);
        s.printFailuresTo(new PrintWriter(System.out, true), 40);
        boolean ok = s.getTotalFailureCount() == 0 && s.getTestsAbortedCount() == 0
                && s.getTestsSkippedCount() == 0 && s.getTestsSucceededCount() > 0 && inHoldfast == 0;
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    /** The request both this child and {@link VirtualThreadsTest} (to count what must run) build. */
    static LauncherDiscoveryRequest request() {
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(SUITES.stream().map(c -> selectClass(c)).toList())
                .build();
    }

    /** How many tests {@link #request()} finds. */
    static long testCount() {
        TestPlan plan = LauncherFactory.create().discover(request());
        return plan.countTestIdentifiers(id -> id.isTest());
    }

    /**
     * A frame that loads or initialises a class: the JVM can still pin a virtual thread there (the
     * JVM resolving a class calls the loader from native code, which a virtual thread cannot leave),
     * the first time a class is used, whatever code asked for it; not a monitor that Holdfast holds.
     * Seen once on JDK 25: "Contended monitor enter" in BuiltinClassLoader.loadClassOrNull, loading a
     * Netty class under a Redis write.
     */
    static boolean isClassLoading(RecordedFrame frame) {
        String method = frame.getMethod().getName();
        String type = frame.getMethod().getType().getName();
        return method.equals("<clinit>") || method.startsWith("loadClass") && type.contains("ClassLoader");
    }

    /** A frame of a Holdfast library package (not the tests' or the testkit's). */
    static boolean isLibraryFrame(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.startsWith("io.holdfast.") && !type.startsWith("io.holdfast.it.")
                && !type.startsWith("io.holdfast.testkit.");
    }
}
