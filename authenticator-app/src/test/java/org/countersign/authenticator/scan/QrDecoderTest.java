package org.countersign.authenticator.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QrDecoderTest {
    private static final String OTPAUTH = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
    private static final String ENROLL = "countersign://enroll?v=1&url=https%3A%2F%2Fmfa.example%2Fapi%2Fv1%2F"
            + "enrollments%2Factivate&code=abcdefghijklmnopqrstuv&issuer=Contoso&user=alice";

    @TempDir
    Path directory;
    private final QrDecoder decoder = new QrDecoder();

    static BufferedImage qr(String text, int size) {
        try {
            BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size,
                    Map.of(EncodeHintType.MARGIN, 2));
            return MatrixToImageWriter.toBufferedImage(matrix);
        } catch (WriterException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path save(BufferedImage image, String format) throws IOException {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = rgb.createGraphics();
        graphics.drawImage(image, 0, 0, null);
        graphics.dispose();
        Path file = directory.resolve("code." + format);
        assertThat(ImageIO.write(rgb, format, file.toFile())).isTrue();
        return file;
    }

    @Nested
    class ImageFiles {
        @Test
        void aPngWithOneCodeIsDecoded() throws IOException {
            assertThat(decoder.decode(save(qr(OTPAUTH, 300), "png"))).containsExactly(OTPAUTH);
        }

        @Test
        void aJpegWithOneCodeIsDecoded() throws IOException {
            assertThat(decoder.decode(save(qr(ENROLL, 400), "jpg"))).containsExactly(ENROLL);
        }

        @Test
        void twoCodesInOneImageAreBothDecoded() throws IOException {
            BufferedImage canvas = new BufferedImage(900, 450, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = canvas.createGraphics();
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, 900, 450);
            graphics.drawImage(qr(OTPAUTH, 350), 25, 50, null);
            graphics.drawImage(qr(ENROLL, 350), 500, 50, null);
            graphics.dispose();

            assertThat(decoder.decode(save(canvas, "png"))).containsExactlyInAnyOrder(OTPAUTH, ENROLL);
        }

        @Test
        void anImageWithoutAQrCodeIsAClearError() throws IOException {
            BufferedImage blank = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
            Path file = save(blank, "png");

            assertThatThrownBy(() -> decoder.decode(file)).isInstanceOf(ScanException.class)
                    .hasMessage("No QR code found in " + file + ".");
        }

        @Test
        void aFileThatIsNotAnImageIsAClearError() throws IOException {
            Path file = directory.resolve("notes.png");
            Files.writeString(file, "hello");

            assertThatThrownBy(() -> decoder.decode(file)).isInstanceOf(ScanException.class)
                    .hasMessageContaining("is not an image");
        }

        @Test
        void aMissingFileIsAClearError() {
            assertThatThrownBy(() -> decoder.decode(directory.resolve("nope.png")))
                    .isInstanceOf(ScanException.class).hasMessageContaining("No such file");
        }
    }
}
