package io.holdfast.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link Jdks} finds a newer JDK: a home's {@code release} file, the property, toolchains.xml. */
class JdksTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("holdfast.jdk");
    }

    @Test
    void aHomeGivenByProperty_isFoundWithItsVersion_andNoneWhenTooOld() throws IOException {
        Path home = fakeJdk(dir.resolve("jdk-99"), "99.0.1");
        Path real = home.toRealPath();
        System.setProperty("holdfast.jdk", home.toString());
        assertThat(Jdks.newest(99)).hasValueSatisfying(jdk -> {
            assertThat(jdk.version()).isEqualTo(99);
            assertThat(jdk.home()).isEqualTo(real);
        });
        assertThat(Jdks.newest(1_000)).as("no JDK that new anywhere").isEmpty();
    }

    @Test
    void aDirectoryWithoutBinJavaOrRelease_isNoJdk() throws IOException {
        Path noJava = dir.resolve("no-java");
        Files.createDirectories(noJava);
        Files.writeString(noJava.resolve("release"), "JAVA_VERSION=\"99\"\n");
        System.setProperty("holdfast.jdk", noJava.toString());
        assertThat(Jdks.newest(99)).isEmpty();
    }

    @Test
    void toolchainsXml_givesTheJdkHomesOfItsJdkToolchains() throws IOException {
        Path xml = Files.writeString(dir.resolve("toolchains.xml"), """
                <toolchains>
                  <toolchain><type>jdk</type><provides><version>25</version></provides>
                    <configuration><jdkHome>/opt/jdk-25</jdkHome></configuration></toolchain>
                  <toolchain><type>netbeans</type><configuration><jdkHome>/opt/other</jdkHome></configuration></toolchain>
                </toolchains>
                """);
        assertThat(Jdks.toolchainHomes(xml)).containsExactly(Path.of("/opt/jdk-25"));
        assertThat(Jdks.toolchainHomes(dir.resolve("absent.xml"))).isEmpty();
    }

    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin").resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\nOS_NAME=\"Linux\"\n");
        return home;
    }
}
