package org.countersign.push.enroll;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.vertx.core.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

/**
 * Renders QR codes as PNG {@code data:} URLs. The enrollment QR holds the one-time activation code, which the
 * service keeps only as a hash, so the image is produced once, in the answer that creates the enrollment.
 *
 * <p>Rendering and PNG-encoding take milliseconds of CPU: call these from a worker thread, never from an event loop
 * (checked when assertions are on, as in the tests).
 */
public final class QrCodes {
    private static final int SIZE = 320;

    private QrCodes() {
    }

    public static byte[] png(String text) {
        assert !Context.isOnEventLoopThread() : "QR rendering blocks: run it on a worker, not an event loop";
        try {
            BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, SIZE, SIZE,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 2,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MatrixToImageWriter.writeToStream(matrix, "PNG", out);
            return out.toByteArray();
        } catch (WriterException e) {
            throw new IllegalArgumentException("text does not fit in a QR code", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String pngDataUrl(String text) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(text));
    }
}
