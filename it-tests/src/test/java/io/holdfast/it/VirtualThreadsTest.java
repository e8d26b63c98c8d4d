package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.holdfast.testkit.ChildJvm;
import io.holdfast.testkit.ChildJvmBuilder;
import io.holdfast.testkit.Jdks;
import io.holdfast.testkit.OwnerThread;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lock contract suites with virtual-thread callers, on the newest Java 21+ JDK that
 * {@link Jdks} finds beside the build's JDK (the build itself stays on Java 17): a child JVM runs
 * {@link VirtualThreadContractMain}. Where no JDK 21+ exists the test is skipped with a message
 * saying where it looked and how to point it at one.
 */
@Tag("integration")
class VirtualThreadsTest {

    @Test
    void contractSuites_withVirtualThreadCallers_passAndNeverPinACarrierInHoldfast() {
        Optional<Jdks.Jdk> jdk = Jdks.newest(21);
        assumeTrue(jdk.isPresent(), () -> "SKIPPED: no JDK 21+ found, so the lock contract suite did not run on"
                + " virtual threads. Looked at " + Jdks.wherePlacesAre()
                + ". Install one there, or set JAVA21_HOME or -Dholdfast.jdk=<home>.");
        long expected = VirtualThreadContractMain.testCount();
        System.out.println("virtual threads: running " + expected + " tests on " + jdk.get());
        ChildJvmBuilder builder = ChildJvm.builder(VirtualThreadContractMain.class)
                .javaHome(jdk.get().home())
                .jvmArg("-D" + OwnerThread.VIRTUAL_PROPERTY + "=true", "-Xmx512m");
        if (jdk.get().version() < 24) {
            builder.jvmArg("-Djdk.tracePinnedThreads=full"); // the JFR check below covers 24+ too
        }
        try (ChildJvm child = builder.start()) {
            int exit = child.waitForExit(Duration.ofMinutes(5));
            String out = String.join("\n", child.lines()) + "\n--- stderr ---\n" + tail(child.stderr());
            assertThat(exit).as(out).isZero();
            assertThat(child.lines()).as(out)
                    .contains("tests: found %d, succeeded %d, failed 0, aborted 0, skipped 0".formatted(expected, expected))
                    .anyMatch(l -> l.matches("pinned: \\d+ events, \\d+ while loading or initialising a class, 0 with Holdfast frames"))
                    .anyMatch(l -> l.startsWith("counter: 10000 virtual threads on 4 locks"));
            System.out.println(out);
        }
    }

    private static String tail(String s) {
        return s.length() <= 20_000 ? s : s.substring(s.length() - 20_000);
    }
}
