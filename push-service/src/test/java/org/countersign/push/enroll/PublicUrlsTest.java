package org.countersign.push.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The addresses given to devices, built from the configured public URL only. */
class PublicUrlsTest {
    private static final UUID DEVICE = UUID.fromString("0b9f5d0e-6c1a-4f4e-9d53-2a4c7d1e8f60");

    @Test
    void anHttpsServiceGivesAnHttpsActivationUrlAndASecureWebSocketChannel() {
        PublicUrls urls = new PublicUrls(URI.create("https://mfa.example.com"));
        assertThat(urls.activationUrl()).isEqualTo(URI.create("https://mfa.example.com/api/v1/enrollments/activate"));
        assertThat(urls.channelUrl(DEVICE)).isEqualTo("wss://mfa.example.com/api/v1/devices/" + DEVICE + "/channel");
    }

    @Test
    void aPlainHttpServiceGivesAPlainWebSocketChannelAndKeepsThePort() {
        PublicUrls urls = new PublicUrls(URI.create("http://127.0.0.1:8080"));
        assertThat(urls.activationUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/api/v1/enrollments/activate"));
        assertThat(urls.channelUrl(DEVICE)).isEqualTo("ws://127.0.0.1:8080/api/v1/devices/" + DEVICE + "/channel");
    }

    @Test
    void aTrailingSlashIsDroppedAndAPathPrefixKept() {
        PublicUrls urls = new PublicUrls(URI.create("https://example.com/mfa/"));
        assertThat(urls.base()).isEqualTo(URI.create("https://example.com/mfa"));
        assertThat(urls.activationUrl()).isEqualTo(URI.create("https://example.com/mfa/api/v1/enrollments/activate"));
        assertThat(urls.channelUrl(DEVICE)).isEqualTo("wss://example.com/mfa/api/v1/devices/" + DEVICE + "/channel");
    }

    @Test
    void refusesSchemesOtherThanHttpAndHttps() {
        for (String base : new String[] {"ftp://example.com", "ws://example.com", "example.com"}) {
            assertThatThrownBy(() -> new PublicUrls(URI.create(base))).as(base)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
