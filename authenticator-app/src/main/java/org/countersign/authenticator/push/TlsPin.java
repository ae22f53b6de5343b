package org.countersign.authenticator.push;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@code pin=sha256/<base64>} of an enrollment URI: the SHA-256 of the service's TLS public key (its
 * SubjectPublicKeyInfo). When a pin is given, the pinned key is the trust anchor for that service: a server presenting
 * any other key is refused, whatever certificate authority signed it, and a self-signed certificate with the pinned key
 * is accepted.
 */
final class TlsPin {
    private static final String PREFIX = "sha256/";
    private final byte[] hash;

    private TlsPin(byte[] hash) {
        this.hash = hash;
    }

    static TlsPin parse(String pin) {
        if (pin == null || !pin.startsWith(PREFIX)) {
            throw new PushException("The TLS pin must look like sha256/<base64>, was '" + pin + "'.");
        }
        String value = pin.substring(PREFIX.length());
        byte[] hash;
        try {
            hash = value.contains("-") || value.contains("_")
                    ? Base64.getUrlDecoder().decode(value)
                    : Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new PushException("The TLS pin is not valid base64: '" + pin + "'.");
        }
        if (hash.length != 32) {
            throw new PushException("The TLS pin must be a SHA-256 hash (32 bytes), was " + hash.length + " bytes.");
        }
        return new TlsPin(hash);
    }

    static String of(X509Certificate certificate) {
        return PREFIX + Base64.getEncoder().encodeToString(spkiHash(certificate));
    }

    SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinnedTrustManager()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this Java runtime", e);
        }
    }

    private static byte[] spkiHash(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final class PinnedTrustManager extends X509ExtendedTrustManager {
        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            chain[0].checkValidity();
            if (!MessageDigest.isEqual(hash, spkiHash(chain[0]))) {
                throw new CertificateException("the server's TLS key does not match the pin of the enrollment code");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
