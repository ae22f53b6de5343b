package org.countersign.push.testing;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP clients for tests that trust exactly one certificate (a test service's self-signed one), with PKIX checks. */
public final class TrustingOnly {
    private TrustingOnly() {
    }

    public static SSLContext context(X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("service", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpClient client(X509Certificate certificate) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(context(certificate)).build();
    }
}
