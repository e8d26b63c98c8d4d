package io.holdfast.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link ChildJvm}. Obtain one with {@link ChildJvm#builder(Class)}.
 * Not thread-safe; each {@link #start()} starts a new JVM.
 */
public final class ChildJvmBuilder {

    private final String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Path javaHome;

    ChildJvmBuilder(String mainClass) {
        this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    /** Adds JVM flags placed before the main class, e.g. {@code "-Xmx64m"}, {@code "-Dk=v"}. */
    public ChildJvmBuilder jvmArg(String... flags) {
        for (String flag : flags) {
            jvmArgs.add(Objects.requireNonNull(flag, "flag"));
        }
        return this;
    }

    /** Adds program arguments passed to {@code main}. */
    public ChildJvmBuilder arg(String... args) {
        for (String arg : args) {
            this.args.add(Objects.requireNonNull(arg, "arg"));
        }
        return this;
    }

    /**
     * Runs the child on the JDK or JRE at {@code home} (its {@code bin/java}) instead of this JVM's,
     * e.g. a newer JDK that {@link Jdks#newest(int)} found.
     */
    public ChildJvmBuilder javaHome(Path home) {
        this.javaHome = Objects.requireNonNull(home, "home");
        return this;
    }

    /**
     * Starts the JVM with this JVM's (or {@link #javaHome}'s) {@code java} binary and {@code java.class.path}. Returns at
     * once; use {@link ChildJvm#awaitLine} to wait until the child is ready.
     *
     * @throws IllegalStateException if the process cannot be started
     */
    public ChildJvm start() {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(jvmArgs);
        command.add(mainClass);
        command.addAll(args);
        return ChildJvm.launch(command, mainClass);
    }

    private String javaBinary() {
        if (javaHome != null) {
            return javaHome.resolve("bin").resolve("java").toString();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot find the java binary"));
    }
}
