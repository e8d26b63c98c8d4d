package io.holdfast.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for TLS tests: it signs server certificates for {@code 127.0.0.1}
 * and {@code localhost}, and writes CA, certificate and key as PEM files a {@code redis-server}
 * ({@code --tls-cert-file}, {@code --tls-key-file}) and {@code HoldfastOptions.trustedCertificates} read.
 * EC P-256 keys (fast to make); valid from an hour ago for a day.
 */
final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    private TestCertificates(String name) {
        this.name = name;
        this.caKeys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        this.caCertificate = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject,
                caKeys.getPublic()), ext -> {
                    ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                });
    }

    /** A new CA named {@code name}. */
    static TestCertificates authority(String name) {
        return new TestCertificates(name);
    }

    /** Writes this CA's certificate as PEM into {@code dir} and returns the file. */
    Path writeCaCertificate(Path dir) {
        return write(dir.resolve(name + "-ca.crt"), pem("CERTIFICATE", encoded(caCertificate)));
    }

    /**
     * Makes a server key and a certificate for {@code 127.0.0.1} and {@code localhost} signed by this
     * CA, writes both as PEM into {@code dir}, and returns {certificate file, key file}.
     */
    Path[] writeServerCertificate(Path dir) {
        KeyPair server = newKeyPair();
        X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(caCertificate, serial(), notBefore(), notAfter(),
                new X500Name("CN=localhost"), server.getPublic()), ext -> {
                    ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
                });
        return new Path[] {
            write(dir.resolve(name + "-server.crt"), pem("CERTIFICATE", encoded(certificate))),
            write(dir.resolve(name + "-server.key"), pem("PRIVATE KEY", server.getPrivate().getEncoded())), // PKCS#8
        };
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, Extensions extensions) {
        try {
            extensions.add(builder);
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a test certificate", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator in this JDK", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
