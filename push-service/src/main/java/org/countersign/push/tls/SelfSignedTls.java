package org.countersign.push.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code --tls-self-signed}: an EC P-256 key and a self-signed certificate for the public URL's host, kept in
 * {@code <dataDir>/tls/} ({@code self-signed.key} mode 0600, {@code self-signed.crt}) and reused on every restart, so
 * the pin in enrolled authenticators stays valid. A new pair is made only when none exists, when the public host
 * changed, or when the certificate is within 30 days of its end; the service then prints the new pin.
 */
public final class SelfSignedTls {
    static final String DIRECTORY = "tls";
    static final String KEY_FILE = "self-signed.key";
    static final String CERT_FILE = "self-signed.crt";
    private static final Duration LIFETIME = Duration.ofDays(3650);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedTls() {
    }

    public static TlsIdentity loadOrCreate(Path dataDir, String host, SecureRandom random) throws IOException {
        Path dir = dataDir.resolve(DIRECTORY);
        Path keyFile = dir.resolve(KEY_FILE);
        Path certFile = dir.resolve(CERT_FILE);
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            TlsIdentity existing = TlsFiles.load(certFile, keyFile);
            if (covers(existing.certificate(), host)
                    && existing.certificate().getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
                return existing;
            }
        }
        TlsIdentity created = generate(host, random);
        Files.createDirectories(dir);
        Path keyTemp = Files.createTempFile(dir, "key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyTemp, TlsIdentity.pem("PRIVATE KEY", created.key().getEncoded()));
        Path certTemp = Files.createTempFile(dir, "crt", ".tmp");
        try {
            Files.writeString(certTemp, TlsIdentity.pem("CERTIFICATE", created.certificate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Files.move(keyTemp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certTemp, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return created;
    }

    /** A fresh EC P-256 key and a self-signed certificate for {@code host}, not stored (tests, tools). */
    public static TlsIdentity generate(String host, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + host.replaceAll("[,+=\"\\\\<>;]", "_"));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(127, random).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(LIFETIME)), name, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(generalName(host)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new TlsIdentity(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName generalName(String host) {
        return isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host.replace("[", "").replace("]", ""))
                : new GeneralName(GeneralName.dNSName, host);
    }

    private static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    private static boolean covers(X509Certificate certificate, String host) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            String wanted = host.replace("[", "").replace("]", "");
            for (List<?> name : names) {
                Object value = name.get(1);
                if (value instanceof String text && (text.equalsIgnoreCase(wanted)
                        || isIpLiteral(wanted) && sameAddress(text, wanted))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (IOException e) {
            return false;
        }
    }
}
