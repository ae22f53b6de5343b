package org.countersign.push.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads {@code --tls-cert} and {@code --tls-key} PEM files (a certificate chain, leaf first; an unencrypted PKCS#8,
 * PKCS#1 RSA or SEC1 EC key) with Bouncy Castle, and refuses with a message naming the file and the problem: missing,
 * unreadable, not PEM, encrypted, or a key that does not belong to the certificate.
 */
public final class TlsFiles {
    private static final long MAX_FILE = 1024 * 1024;

    private TlsFiles() {
    }

    public static TlsIdentity load(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(read(certificateFile, "--tls-cert"), certificateFile);
        PrivateKey key = privateKey(read(keyFile, "--tls-key"), keyFile);
        TlsIdentity identity = new TlsIdentity(key, chain);
        if (!identity.keyMatchesCertificate()) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " does not belong to the certificate in "
                    + certificateFile + " (key/certificate mismatch)");
        }
        try {
            identity.certificate().checkValidity();
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the certificate in " + certificateFile + " is not valid now: "
                    + e.getMessage());
        }
        return identity;
    }

    private static String read(Path file, String flag) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": not a readable file");
        }
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new IllegalArgumentException(flag + " " + file + ": too large for a PEM file");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static List<X509Certificate> certificates(String pem, Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : objects(pem, file, "--tls-cert")) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("--tls-cert " + file + ": invalid certificate ("
                            + e.getMessage() + ")");
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("--tls-cert " + file + ": holds no PEM CERTIFICATE");
        }
        return chain;
    }

    private static PrivateKey privateKey(String pem, Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider());
        for (Object object : objects(pem, file, "--tls-key")) {
            try {
                if (object instanceof PEMKeyPair pair) {
                    return normalise(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (object instanceof PrivateKeyInfo info) {
                    return normalise(converter.getPrivateKey(info));
                }
            } catch (PEMException e) {
                throw new IllegalArgumentException("--tls-key " + file + ": unusable key (" + e.getMessage() + ")");
            }
            if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof org.bouncycastle.openssl.PEMEncryptedKeyPair) {
                throw new IllegalArgumentException("--tls-key " + file + ": the key is encrypted; give an "
                        + "unencrypted key (for example `openssl pkey -in enc.pem -out key.pem`) with mode 0600");
            }
        }
        throw new IllegalArgumentException("--tls-key " + file + ": holds no PEM private key");
    }

    /** Re-reads the key with the JDK's providers, so that Vert.x and the JDK's TLS handle it like any other. */
    private static PrivateKey normalise(PrivateKey key) {
        try {
            return java.security.KeyFactory.getInstance(key.getAlgorithm().equals("ECDSA") ? "EC" : key.getAlgorithm())
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            return key;
        }
    }

    private static List<Object> objects(String pem, Path file, String flag) {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = new StringReader(pem); PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(flag + " " + file + ": not valid PEM (" + e.getMessage() + ")");
        }
        return objects;
    }
}
