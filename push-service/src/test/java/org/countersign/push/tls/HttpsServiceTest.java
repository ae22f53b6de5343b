package org.countersign.push.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLHandshakeException;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.countersign.push.testing.TrustingOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The service over HTTPS with a self-signed certificate, and the pin its enrollment URIs carry (§3.1). */
class HttpsServiceTest {
    static final TlsIdentity identity = SelfSignedTls.generate("127.0.0.1", new SecureRandom());

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.startedBy("HTTPS with a self-signed certificate",
            () -> TestService.withTls(identity));

    @Test
    void servesHttpsWithTheConfiguredCertificate() throws Exception {
        HttpResponse<String> health = TrustingOnly.client(identity.certificate()).send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + fixture.service().port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        X509Certificate served = (X509Certificate) health.sslSession().orElseThrow().getPeerCertificates()[0];
        assertThat(served).isEqualTo(identity.certificate());
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoAnswer() {
        HttpClient plain = HttpClient.newHttpClient();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fixture.service().port + "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aClientWithNormalTrustRefusesTheSelfSignedCertificate() {
        HttpClient normal = HttpClient.newHttpClient();
        assertThatThrownBy(() -> normal.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + fixture.service().port + "/health")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void enrollmentUrisCarryTheSha256OfTheServedPublicKeyAndHttpsUrls() throws Exception {
        String admin = fixture.flows().adminToken();
        EnrollmentUri uri = fixture.flows().startEnrollment(admin);

        HttpResponse<String> answer = TrustingOnly.client(identity.certificate()).send(HttpRequest.newBuilder(
                URI.create(fixture.api().baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        X509Certificate served = (X509Certificate) answer.sslSession().orElseThrow().getPeerCertificates()[0];
        byte[] spki = served.getPublicKey().getEncoded();
        String expected = "sha256/" + java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(spki));

        assertThat(uri.pin()).contains(expected);
        assertThat(uri.activationUrl().getScheme()).isEqualTo("https");
        assertThat(EnrollmentUri.parse(uri.format()).pin()).contains(expected);
    }

    @Test
    void theApiWorksOverHttps() {
        Api.Response signIn = fixture.flows().signIn("nobody");
        assertThat(signIn.status()).isEqualTo(401);
    }
}
