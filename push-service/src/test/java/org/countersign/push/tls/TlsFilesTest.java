package org.countersign.push.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Set;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS flags: PEM files read with clear refusals, and the self-signed pair kept and reused. */
class TlsFilesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static String certPem(TlsIdentity identity) throws Exception {
        return TlsIdentity.pem("CERTIFICATE", identity.certificate().getEncoded());
    }

    @Test
    void loadsAPkcs8KeyAndItsCertificateAndComputesThePin() throws Exception {
        TlsIdentity made = SelfSignedTls.generate("countersign.example", RANDOM);
        TlsIdentity loaded = TlsFiles.load(write("c.pem", certPem(made)),
                write("k.pem", TlsIdentity.pem("PRIVATE KEY", made.key().getEncoded())));

        assertThat(loaded.certificate()).isEqualTo(made.certificate());
        assertThat(loaded.pin()).isEqualTo(made.pin()).startsWith("sha256/").hasSize(7 + 44);
    }

    @Test
    void loadsAnRsaKeyInThePkcs1FormatOpensslWrites() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pair = generator.generateKeyPair();
        var certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                        new org.bouncycastle.asn1.x500.X500Name("CN=rsa.example"), java.math.BigInteger.TEN,
                        new java.util.Date(System.currentTimeMillis() - 60_000),
                        new java.util.Date(System.currentTimeMillis() + 86_400_000L),
                        new org.bouncycastle.asn1.x500.X500Name("CN=rsa.example"), pair.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                                .build(pair.getPrivate())));
        java.io.StringWriter pkcs1 = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
            writer.writeObject(pair); // "-----BEGIN RSA PRIVATE KEY-----"
        }
        assertThat(pkcs1.toString()).contains("BEGIN RSA PRIVATE KEY");

        TlsIdentity loaded = TlsFiles.load(write("c.pem", TlsIdentity.pem("CERTIFICATE", certificate.getEncoded())),
                write("k.pem", pkcs1.toString()));
        assertThat(loaded.pin()).isEqualTo(TlsIdentity.pinOf(pair.getPublic()));
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        TlsIdentity one = SelfSignedTls.generate("a.example", RANDOM);
        TlsIdentity other = SelfSignedTls.generate("a.example", RANDOM);
        Path cert = write("c.pem", certPem(one));
        Path key = write("k.pem", TlsIdentity.pem("PRIVATE KEY", other.key().getEncoded()));

        assertThatThrownBy(() -> TlsFiles.load(cert, key)).hasMessageContaining("mismatch")
                .hasMessageContaining("--tls-key");
    }

    @Test
    void namesAMissingFileAndTheFlag() {
        assertThatThrownBy(() -> TlsFiles.load(dir.resolve("absent.pem"), dir.resolve("k.pem")))
                .hasMessageContaining("--tls-cert").hasMessageContaining("no such file");
    }

    @Test
    void refusesFilesThatAreNotPemOrHoldNoKey() throws Exception {
        TlsIdentity made = SelfSignedTls.generate("a.example", RANDOM);
        Path cert = write("c.pem", certPem(made));
        assertThatThrownBy(() -> TlsFiles.load(write("junk.pem", "hello"), cert))
                .hasMessageContaining("--tls-cert").hasMessageContaining("no PEM CERTIFICATE");
        assertThatThrownBy(() -> TlsFiles.load(cert, cert))
                .hasMessageContaining("--tls-key").hasMessageContaining("no PEM private key");
    }

    @Test
    void refusesHalfOrConflictingFlags() {
        assertThatThrownBy(() -> TlsOptions.wanted(dir, null, false)).hasMessageContaining("--tls-cert needs --tls-key");
        assertThatThrownBy(() -> TlsOptions.wanted(null, dir, false)).hasMessageContaining("--tls-key needs --tls-cert");
        assertThatThrownBy(() -> TlsOptions.wanted(dir, dir, true)).hasMessageContaining("--tls-self-signed");
        assertThat(TlsOptions.wanted(null, null, false)).isFalse();
        assertThat(TlsOptions.wanted(null, null, true)).isTrue();
    }

    @Test
    void theSelfSignedPairIsKeptOwnerOnlyAndReusedOnRestart() throws Exception {
        TlsIdentity first = SelfSignedTls.loadOrCreate(dir, "push.example", RANDOM);
        TlsIdentity again = SelfSignedTls.loadOrCreate(dir, "push.example", RANDOM);

        assertThat(again.pin()).isEqualTo(first.pin());
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(Files.getPosixFilePermissions(dir.resolve("tls").resolve(SelfSignedTls.KEY_FILE)))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(first.certificate().getSubjectAlternativeNames())
                .anySatisfy(name -> assertThat(name.get(1)).isEqualTo("push.example"));
        assertThat(first.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void aNewPublicHostGetsANewCertificate() throws Exception {
        TlsIdentity first = SelfSignedTls.loadOrCreate(dir, "old.example", RANDOM);
        TlsIdentity moved = SelfSignedTls.loadOrCreate(dir, "new.example", RANDOM);
        assertThat(moved.pin()).isNotEqualTo(first.pin());
    }
}
