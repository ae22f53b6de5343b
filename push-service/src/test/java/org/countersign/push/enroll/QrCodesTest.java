package org.countersign.push.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** QR images: rendered on workers only, since rendering and PNG-encoding are slow CPU work. */
class QrCodesTest {
    private static final String URI = "countersign://enroll?url=https%3A%2F%2Fmfa.example%2Fa&code=ABC";

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        TestService.await(vertx.close());
    }

    @Test
    void refusesToRenderOnAnEventLoopWhenAssertionsAreOn() throws Exception {
        assumeTrue(QrCodes.class.desiredAssertionStatus(), "the check is an assertion; surefire turns them on");
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            try {
                QrCodes.pngDataUrl(URI);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("event loop");
    }

    @Test
    void rendersAPngThatDecodesToTheTextOnAWorker() throws Exception {
        byte[] png = TestService.await(vertx.executeBlocking(() -> QrCodes.png(URI), false));
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(ImageIO.read(new ByteArrayInputStream(png)))));
        assertThat(new QRCodeReader().decode(bitmap).getText()).isEqualTo(URI);
    }
}
