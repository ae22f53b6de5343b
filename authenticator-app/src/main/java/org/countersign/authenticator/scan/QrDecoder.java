package org.countersign.authenticator.scan;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Finds every QR code in an image. Tries zxing's multi-code QR reader first, then the generic multi-code reader, then
 * a single pure-barcode read (a clean, unrotated code such as a saved QR image), each with TRY_HARDER.
 */
public final class QrDecoder {

    /** The text of every QR code in the image, in the order found, without duplicates. */
    public List<String> decode(BufferedImage image) {
        LuminanceSource source = new BufferedImageLuminanceSource(image);
        Set<String> found = new LinkedHashSet<>();
        for (BinaryBitmap bitmap : List.of(new BinaryBitmap(new HybridBinarizer(source)),
                new BinaryBitmap(new GlobalHistogramBinarizer(source)))) {
            addAll(found, multi(bitmap));
            if (found.isEmpty()) {
                addAll(found, generic(bitmap));
            }
            if (found.isEmpty()) {
                addAll(found, pure(bitmap));
            }
            if (!found.isEmpty()) {
                break;
            }
        }
        if (found.isEmpty()) {
            throw new ScanException("No QR code found in the image.");
        }
        return new ArrayList<>(found);
    }

    /** Reads a PNG, JPEG, GIF or BMP file and decodes its QR codes. */
    public List<String> decode(Path file) {
        BufferedImage image;
        try {
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            image = ImageIO.read(file.toFile());
        } catch (NoSuchFileException e) {
            throw new ScanException("No such file: " + file);
        } catch (IOException e) {
            throw new ScanException("Cannot read the image " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new ScanException(file + " is not an image this program can read (use PNG or JPEG).");
        }
        try {
            return decode(image);
        } catch (ScanException e) {
            throw new ScanException("No QR code found in " + file + ".");
        }
    }

    private static Map<DecodeHintType, Object> hints(boolean pure) {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE));
        hints.put(DecodeHintType.CHARACTER_SET, "UTF-8");
        if (pure) {
            hints.put(DecodeHintType.PURE_BARCODE, Boolean.TRUE);
        }
        return hints;
    }

    private static Result[] multi(BinaryBitmap bitmap) {
        try {
            return new QRCodeMultiReader().decodeMultiple(bitmap, hints(false));
        } catch (NotFoundException e) {
            return new Result[0];
        }
    }

    private static Result[] generic(BinaryBitmap bitmap) {
        try {
            return new GenericMultipleBarcodeReader(new QRCodeReader()).decodeMultiple(bitmap, hints(false));
        } catch (NotFoundException e) {
            return new Result[0];
        }
    }

    private static Result[] pure(BinaryBitmap bitmap) {
        try {
            return new Result[] {new QRCodeReader().decode(bitmap, hints(true))};
        } catch (ReaderException e) {
            return new Result[0];
        }
    }

    private static void addAll(Set<String> found, Result[] results) {
        for (Result result : results) {
            if (result != null && result.getText() != null && !result.getText().isBlank()) {
                found.add(result.getText().strip());
            }
        }
    }
}
