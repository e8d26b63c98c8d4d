package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockUpgradeException;
import io.holdfast.RLock;
import io.holdfast.RReadWriteLock;
import io.holdfast.RedisUnavailableException;
import io.holdfast.WrongKeyTypeException;
import io.holdfast.testkit.RedisServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Issue 12, item 9: bad input gets a clear, typed error and changes nothing.
 */
@Tag("integration")
class BadInputTest {

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension().flushBeforeEach();

    private static Holdfast connect() {
        return Holdfast.connect(HoldfastOptions.builder(redis.uri()).commandTimeout(Duration.ofSeconds(2)).build());
    }

    @Test
    void forceUnlock_onAStringKey_throwsAndKeepsTheValue() {
        redis.commands().set("holdfast:{str}", "precious");
        try (Holdfast client = connect()) {
            assertThatThrownBy(() -> client.getLock("str").forceUnlock()).isInstanceOf(WrongKeyTypeException.class)
                    .hasMessageContaining("holdfast:{str}");
            assertThatThrownBy(() -> client.getFairLock("str").forceUnlock()).isInstanceOf(WrongKeyTypeException.class);
            assertThatThrownBy(() -> client.getReadWriteLock("str").writeLock().forceUnlock())
                    .isInstanceOf(WrongKeyTypeException.class);
        }
        assertThat(redis.commands().get("holdfast:{str}")).isEqualTo("precious");
    }

    @Test
    void forceUnlock_onAStringAtTheReadWriteLeasesKey_throwsAndKeepsTheValue() {
        redis.commands().set("holdfast:{str}:leases", "precious");
        try (Holdfast client = connect()) {
            assertThatThrownBy(() -> client.getReadWriteLock("str").readLock().forceUnlock())
                    .isInstanceOf(WrongKeyTypeException.class);
        }
        assertThat(redis.commands().get("holdfast:{str}:leases")).isEqualTo("precious");
    }

    /**
     * A hash under the lock's key that is not a Holdfast lock is refused (acquire.lua's check), never
     * waited for: one with several fields, one with a single field, and one whose single field looks
     * like a holder id but whose value is not a hold count.
     */
    @Test
    void tryLock_onAForeignHash_throwsWrongKeyType_andKeepsTheHash() {
        List<Map<String, String>> hashes = List.of(Map.of("name", "alice", "email", "alice@example.com"),
                Map.of("name", "alice"), Map.of("c0ffee:17", "alice"));
        for (Map<String, String> foreign : hashes) {
            redis.commands().del("holdfast:{user}");
            redis.commands().hset("holdfast:{user}", foreign);
            try (Holdfast client = connect()) {
                assertThatThrownBy(() -> client.getLock("user").tryLock()).as("%s", foreign)
                        .isInstanceOf(WrongKeyTypeException.class).hasMessageContaining("holdfast:{user}");
                assertThatThrownBy(() -> client.getFairLock("user").tryLock(50, TimeUnit.MILLISECONDS)).as("%s", foreign)
                        .isInstanceOf(WrongKeyTypeException.class);
            }
            assertThat(redis.commands().hgetall("holdfast:{user}")).isEqualTo(foreign);
        }
    }

    @Test
    void connect_withAPortThatIsNotANumber_failsWithIllegalArgument_namingThePort() {
        assertThatThrownBy(() -> Holdfast.connect("redis://127.0.0.1:notaport"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notaport").hasMessageContaining("port");
        assertThatThrownBy(() -> Holdfast.connect("redis://user:secret@127.0.0.1:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("99999")
                .hasMessageNotContaining("secret");
    }

    @Test
    void connect_toADatabaseIndexOutOfRange_saysSo_notUnreachable() {
        String uri = redis.uri() + "/99";
        assertThatThrownBy(() -> Holdfast.connect(HoldfastOptions.builder(uri).commandTimeout(Duration.ofSeconds(2)).build()))
                .isInstanceOf(RedisUnavailableException.class)
                .hasMessageContaining("out of range")
                .hasMessageNotContaining("unreachable");
    }

    /**
     * A TLS server whose certificate nobody trusts: a self-signed one made by the JDK's keytool,
     * served by a plain {@link SSLServerSocket} on a free loopback port (no TLS-enabled redis-server
     * is needed: the handshake fails before any Redis command).
     */
    @Test
    void connect_withTlsToAnUntrustedCertificate_saysTheTlsHandshakeFailed_notUnreachable(@TempDir Path dir)
            throws Exception {
        Path store = dir.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-keyalg", "RSA", "-keysize", "2048", "-alias", "redis", "-dname", "CN=localhost", "-validity", "2")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool made a certificate").isTrue();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                        s.startHandshake();
                    } catch (IOException expected) {
                        // the client refuses the certificate, or the socket was closed
                    }
                }
            }, "untrusted-tls");
            acceptor.setDaemon(true);
            acceptor.start();
            String uri = "rediss://127.0.0.1:" + server.getLocalPort();
            assertThatThrownBy(() -> Holdfast.connect(HoldfastOptions.builder(uri).commandTimeout(Duration.ofSeconds(3)).build()))
                    .isInstanceOf(RedisUnavailableException.class)
                    .hasMessageContaining("TLS handshake failed")
                    .hasMessageContaining("certification path")
                    .hasMessageNotContaining("unreachable");
        }
    }

    @Test
    void writeLock_upgradeFromRead_throwsThePublicLockUpgradeException() throws Exception {
        try (Holdfast client = connect()) {
            RReadWriteLock lock = client.getReadWriteLock("up");
            lock.readLock().lock();
            try {
                assertThatThrownBy(() -> lock.writeLock().lock())
                        .isExactlyInstanceOf(LockUpgradeException.class)
                        .isInstanceOf(IllegalMonitorStateException.class)
                        .hasMessageContaining("'up'");
                assertThat(lock.writeLock().tryLock(100, TimeUnit.MILLISECONDS)).isFalse();
                assertThat(client.getReadWriteLock("up").writeLock().tryLock()).isFalse();
            } finally {
                lock.readLock().unlock();
            }
            RLock write = lock.writeLock();
            assertThat(write.tryLock()).isTrue();
            write.unlock();
        }
    }
}
