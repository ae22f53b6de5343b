package org.countersign.authenticator.imports;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;

/**
 * Writes accounts as Google Authenticator migration payloads ({@code otpauth-migration://offline?data=...}, the
 * layout {@link GoogleMigrationImporter} documents), split into batches of at most {@value #MAX_PER_BATCH} accounts
 * and about {@value #MAX_URI_CHARS} characters so every QR code stays easy to scan from a screen.
 *
 * <p>Not carried over: push accounts (never in plaintext), and what the format cannot say: periods other than 30 s
 * and 7-digit codes.
 */
public final class GoogleMigrationExporter {
    static final int MAX_PER_BATCH = 10;
    static final int MAX_URI_CHARS = 1000;
    private static final int QR_SIZE = 600;

    private final SecureRandom random;

    public GoogleMigrationExporter(SecureRandom random) {
        this.random = random;
    }

    public PlaintextExport export(List<Account> accounts) {
        List<byte[]> entries = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Account account : accounts) {
            if (account instanceof PushAccount) {
                notes.add(UriListExporter.pushNote(account));
                continue;
            }
            OtpAuthUri uri = UriListExporter.uriOf(account);
            if (uri.type() == OtpType.TOTP && uri.period() != 30) {
                notes.add(account.displayName() + ": a " + uri.period() + " s period cannot be expressed in a Google"
                        + " export (skipped).");
            } else if (uri.digits() == 7) {
                notes.add(account.displayName() + ": 7-digit codes cannot be expressed in a Google export (skipped).");
            } else {
                entries.add(encode(uri));
            }
        }
        List<List<byte[]>> batches = batches(entries);
        long batchId = random.nextInt() & 0x7fffffffL;
        List<String> uris = new ArrayList<>();
        for (int index = 0; index < batches.size(); index++) {
            uris.add(uri(batches.get(index), batches.size(), index, batchId));
        }
        entries.forEach(entry -> Arrays.fill(entry, (byte) 0));
        return new PlaintextExport(uris, entries.size(), notes);
    }

    /**
     * Writes one PNG per payload, {@code google-export-1-of-N.png} ..., into {@code directory} (created when
     * missing, owner-only), never overwriting a file.
     */
    public static List<Path> writeQrImages(PlaintextExport export, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        int count = export.pieces().size();
        for (int i = 0; i < count; i++) {
            Path file = directory.resolve("google-export-" + (i + 1) + "-of-" + count + ".png");
            BitMatrix matrix;
            try {
                matrix = new QRCodeWriter().encode(export.pieces().get(i), BarcodeFormat.QR_CODE, QR_SIZE, QR_SIZE,
                        Map.of(EncodeHintType.MARGIN, 4, EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
            } catch (WriterException e) {
                throw new IOException("cannot draw the QR code: " + e.getMessage(), e);
            }
            PlaintextFiles.writeNew(file, out -> MatrixToImageWriter.writeToStream(matrix, "PNG", out));
            written.add(file);
        }
        return written;
    }

    private static List<List<byte[]>> batches(List<byte[]> entries) {
        List<List<byte[]>> batches = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        int bytes = 0;
        for (byte[] entry : entries) {
            // base64 grows 4/3 and percent-encoding of + / = a little more; 600 raw bytes stays under ~1000 chars
            if (!current.isEmpty() && (current.size() == MAX_PER_BATCH || bytes + entry.length > MAX_URI_CHARS * 3 / 5)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(entry);
            bytes += entry.length + 3;
        }
        if (!current.isEmpty() || batches.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private static byte[] encode(OtpAuthUri uri) {
        byte[] secret = uri.secret().bytes();
        try {
            ProtobufWriter entry = new ProtobufWriter().bytes(1, secret).string(2, uri.account())
                    .string(3, uri.issuer()).varint(4, algorithm(uri.algorithm()))
                    .varint(5, uri.digits() == 8 ? 2 : 1).varint(6, uri.type() == OtpType.HOTP ? 1 : 2);
            if (uri.type() == OtpType.HOTP) {
                entry.varint(7, uri.counter());
            }
            byte[] encoded = entry.toByteArray();
            entry.wipe();
            return encoded;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static int algorithm(HmacAlgorithm algorithm) {
        return switch (algorithm) {
            case SHA1 -> 1;
            case SHA256 -> 2;
            case SHA512 -> 3;
        };
    }

    private static String uri(List<byte[]> entries, int batchSize, int batchIndex, long batchId) {
        ProtobufWriter payload = new ProtobufWriter();
        for (byte[] entry : entries) {
            payload.bytes(1, entry);
        }
        payload.varint(2, 1).varint(3, batchSize).varint(4, batchIndex).varint(5, batchId);
        byte[] bytes = payload.toByteArray();
        payload.wipe();
        try {
            return GoogleMigrationImporter.PREFIX + "data="
                    + URLEncoder.encode(Base64.getEncoder().encodeToString(bytes), StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
