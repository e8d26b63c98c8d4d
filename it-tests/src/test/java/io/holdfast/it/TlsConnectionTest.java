package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.testkit.RedisServer;
import io.lettuce.core.AclSetuserArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} end to end: a real {@code redis-server} with a TLS port, its certificate signed by
 * a CA the test makes ({@link TestCertificates}), trusted through
 * {@link HoldfastOptions.Builder#trustedCertificates}. The server keeps a plain port too, for the
 * fixture's readiness probe and the test's own checks; Holdfast talks only to the TLS port, which
 * speaks nothing but TLS. Needs a {@code redis-server} built with TLS (Debian's and the bundled 6.2
 * are): one without it fails to start and the test fails saying so, never skips.
 */
@Tag("integration")
class TlsConnectionTest {

    @TempDir
    Path dir;

    @Test
    void rediss_withTheServersCaTrusted_locksAsAnAclUserInADatabase() {
        TestCertificates ca = TestCertificates.authority("holdfast-test");
        int tlsPort = freePort();
        try (RedisServer server = startTls(ca, tlsPort)) {
            server.commands().aclSetuser("locker", AclSetuserArgs.Builder.on().addPassword("s3cret")
                    .allKeys().allChannels().allCommands());
            HoldfastOptions options = HoldfastOptions.builder("rediss://locker:s3cret@127.0.0.1:" + tlsPort + "/2")
                    .trustedCertificates(ca.writeCaCertificate(dir)).build();
            try (Holdfast client = Holdfast.connect(options)) {
                RLock lock = client.getLock("orders");
                lock.lock();
                try {
                    server.commands().select(2);
                    assertThat(server.commands().exists("holdfast:{orders}")).as("the hold, in database 2").isOne();
                    assertThat(server.commands().clientList().lines().filter(l -> l.contains(" user=locker ")))
                            .as("Holdfast's command and pub/sub connections, over TLS").hasSizeGreaterThanOrEqualTo(2);
                } finally {
                    lock.unlock();
                }
                assertThat(server.commands().exists("holdfast:{orders}")).isZero();
            }
        }
    }

    @Test
    void rediss_withACertificateOfAnotherCa_failsAtConnect_sayingTheTlsHandshakeFailed() {
        TestCertificates serverCa = TestCertificates.authority("server-ca");
        Path otherCa = TestCertificates.authority("other-ca").writeCaCertificate(dir);
        int tlsPort = freePort();
        try (RedisServer server = startTls(serverCa, tlsPort)) {
            HoldfastOptions options = HoldfastOptions.builder("rediss://127.0.0.1:" + tlsPort)
                    .commandTimeout(Duration.ofSeconds(5)).trustedCertificates(otherCa).build();
            assertThatThrownBy(() -> Holdfast.connect(options))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + tlsPort)
                    .hasMessageContaining("the TLS handshake failed")
                    .hasMessageContaining("certification path");
            assertThatThrownBy(() -> Holdfast.connect("rediss://127.0.0.1:" + tlsPort))
                    .as("the JVM's default trust store does not know the test CA either")
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("the TLS handshake failed");
        }
    }

    @Test
    void trustedCertificates_thatIsNoFile_failsAtOnce_namingIt() {
        Path missing = dir.resolve("no-such-ca.crt");
        assertThatThrownBy(() -> HoldfastOptions.builder("rediss://127.0.0.1:6380").trustedCertificates(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-ca.crt");
    }

    private RedisServer startTls(TestCertificates ca, int tlsPort) {
        Path[] certificate = ca.writeServerCertificate(dir);
        return RedisServer.builder().arg("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certificate[0].toString(), "--tls-key-file", certificate[1].toString(),
                "--tls-ca-cert-file", ca.writeCaCertificate(dir).toString(), "--tls-auth-clients", "no").start();
    }

    /** A port free a moment ago (the TLS port; the fixture picks and retries its plain port itself). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
