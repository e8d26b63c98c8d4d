package io.holdfast.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Finds JDKs installed beside the one running the build, for tests that need a newer Java than the
 * build's baseline (virtual threads need 21+). No path is written in: it looks, in this order, at
 * <ol>
 *   <li>the system property {@code holdfast.jdk} (a JDK home),</li>
 *   <li>environment variables named {@code JAVA<N>_HOME} (e.g. {@code JAVA25_HOME}, {@code JAVA21_HOME}),</li>
 *   <li>the {@code jdk} toolchains of {@code ~/.m2/toolchains.xml} (their {@code jdkHome}),</li>
 *   <li>the usual install directories: {@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt/java},
 *       {@code /Library/Java/JavaVirtualMachines}, {@code ~/.sdkman/candidates/java}, {@code ~/.jdks}.</li>
 * </ol>
 * A directory counts as a JDK when it has an executable {@code bin/java} and a {@code release} file
 * naming its {@code JAVA_VERSION}.
 */
public final class Jdks {

    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"?(\\d+)", Pattern.MULTILINE);
    private static final Pattern ENV = Pattern.compile("JAVA(\\d+)_HOME");

    private Jdks() {
    }

    /** A JDK found: its home directory and feature version (21, 25, ...). */
    public record Jdk(Path home, int version) {
        @Override
        public String toString() {
            return "JDK " + version + " at " + home;
        }
    }

    /**
     * The newest JDK whose feature version is at least {@code minVersion}, from the places listed in
     * the class comment; empty if there is none.
     */
    public static Optional<Jdk> newest(int minVersion) {
        return candidates().stream()
                .map(Jdks::describe)
                .flatMap(Optional::stream)
                .filter(jdk -> jdk.version() >= minVersion)
                .max(Comparator.comparingInt(Jdk::version));
    }

    /** Where {@link #newest} looks, for a message that says so. */
    public static String wherePlacesAre() {
        return "-Dholdfast.jdk, JAVA<N>_HOME variables, ~/.m2/toolchains.xml, " + String.join(", ", installDirs().stream()
                .map(Path::toString).toList());
    }

    private static List<Path> candidates() {
        List<Path> homes = new ArrayList<>();
        String explicit = System.getProperty("holdfast.jdk");
        if (explicit != null && !explicit.isBlank()) {
            homes.add(Path.of(explicit));
        }
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (ENV.matcher(e.getKey()).matches() && !e.getValue().isBlank()) {
                homes.add(Path.of(e.getValue()));
            }
        }
        homes.addAll(toolchainHomes(Path.of(System.getProperty("user.home"), ".m2", "toolchains.xml")));
        for (Path dir : installDirs()) {
            homes.addAll(children(dir));
        }
        return homes;
    }

    private static List<Path> installDirs() {
        Path home = Path.of(System.getProperty("user.home"));
        return List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
                Path.of("/Library/Java/JavaVirtualMachines"), home.resolve(".sdkman/candidates/java"),
                home.resolve(".jdks"));
    }

    private static List<Path> children(Path dir) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                found.add(p);
                found.add(p.resolve("Contents/Home")); // macOS bundles
            }
        } catch (IOException e) {
            // an unreadable directory holds no JDK we can use
        }
        return found;
    }

    static List<Path> toolchainHomes(Path toolchainsXml) {
        List<Path> homes = new ArrayList<>();
        if (!Files.isRegularFile(toolchainsXml)) {
            return homes;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList toolchains = factory.newDocumentBuilder().parse(toolchainsXml.toFile())
                    .getElementsByTagName("toolchain");
            for (int i = 0; i < toolchains.getLength(); i++) {
                Element toolchain = (Element) toolchains.item(i);
                NodeList type = toolchain.getElementsByTagName("type");
                NodeList jdkHome = toolchain.getElementsByTagName("jdkHome");
                if (type.getLength() > 0 && "jdk".equals(type.item(0).getTextContent().trim())
                        && jdkHome.getLength() > 0) {
                    homes.add(Path.of(jdkHome.item(0).getTextContent().trim()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + toolchainsXml + ": " + e.getMessage(), e);
        }
        return homes;
    }

    private static Optional<Jdk> describe(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
            return m.find() ? Optional.of(new Jdk(home.toRealPath(), Integer.parseInt(m.group(1)))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
