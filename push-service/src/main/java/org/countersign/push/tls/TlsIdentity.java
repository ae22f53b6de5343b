package org.countersign.push.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The service's TLS key and certificate chain (leaf first), and the {@code pin=sha256/<base64>} of its public key
 * that enrollment URIs carry (ARCHITECTURE.md §3.1), so that an authenticator can trust a self-signed certificate
 * without trusting anyone else.
 */
public record TlsIdentity(PrivateKey key, List<X509Certificate> chain) {
    private static final String PIN_PREFIX = "sha256/";

    public TlsIdentity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** {@code sha256/} and the base64 SHA-256 of the certificate's SubjectPublicKeyInfo (as in HPKP, RFC 7469). */
    public String pin() {
        return pinOf(certificate().getPublicKey());
    }

    public static String pinOf(PublicKey key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return PIN_PREFIX + Base64.getEncoder().encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The key and chain as Vert.x server options (PKCS#8 and X.509 PEM, held in memory). */
    public PemKeyCertOptions keyCertOptions() {
        StringBuilder certs = new StringBuilder();
        try {
            for (X509Certificate certificate : chain) {
                certs.append(pem("CERTIFICATE", certificate.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the certificate", e);
        }
        return new PemKeyCertOptions()
                .setKeyValue(Buffer.buffer(pem("PRIVATE KEY", key.getEncoded()), "US-ASCII"))
                .setCertValue(Buffer.buffer(certs.toString(), "US-ASCII"));
    }

    /**
     * Whether the private key belongs to the leaf certificate: a fresh random message signed with the key must
     * verify with the certificate's public key (works for RSA, EC and Ed25519 alike).
     */
    boolean keyMatchesCertificate() {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported TLS key type " + key.getAlgorithm()
                    + " (use RSA, EC or Ed25519)");
        };
        byte[] message = new byte[32];
        new SecureRandom().nextBytes(message);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    @Override
    public String toString() {
        return "TlsIdentity[" + certificate().getSubjectX500Principal() + ", " + pin() + ", key redacted]";
    }
}
