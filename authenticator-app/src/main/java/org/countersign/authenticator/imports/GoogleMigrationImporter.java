package org.countersign.authenticator.imports;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.countersign.authenticator.vault.Account;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;

/**
 * Google Authenticator's "Transfer accounts" export: {@code otpauth-migration://offline?data=BASE64}, where the data
 * is a protobuf {@code MigrationPayload}: repeated {@code OtpParameters otp_parameters = 1} (secret 1, name 2,
 * issuer 3, algorithm 4: 1 SHA1 2 SHA256 3 SHA512 4 MD5, digits 5: 1 six 2 eight, type 6: 1 HOTP 2 TOTP,
 * counter 7), version 2, batch_size 3, batch_index 4, batch_id 5. A large export is split over several QR codes
 * (batches); a batch that is missing is reported. Google has no period: TOTP accounts get 30 s.
 */
public final class GoogleMigrationImporter {
    static final String PREFIX = "otpauth-migration://offline?";

    private final NewAccounts newAccounts;

    public GoogleMigrationImporter(SecureRandom random) {
        this.newAccounts = new NewAccounts(random);
    }

    /** Reads every payload; the same batch given twice (a QR scanned twice) counts once. */
    public ImportedAccounts read(List<String> migrationUris) {
        List<Account> accounts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<Long, TreeSet<Integer>> batchesSeen = new LinkedHashMap<>();
        Map<Long, Integer> batchSizes = new LinkedHashMap<>();
        for (String uri : migrationUris) {
            Payload payload = Payload.parse(data(uri));
            if (payload.batchSize > 1 && !batchesSeen.computeIfAbsent(payload.batchId, id -> new TreeSet<>())
                    .add(payload.batchIndex)) {
                continue;
            }
            batchSizes.put(payload.batchId, payload.batchSize);
            for (byte[] parameters : payload.otpParameters) {
                try {
                    account(parameters, notes).ifPresent(accounts::add);
                } finally {
                    Arrays.fill(parameters, (byte) 0);
                }
            }
        }
        batchSizes.forEach((id, size) -> {
            TreeSet<Integer> seen = batchesSeen.getOrDefault(id, new TreeSet<>());
            for (int index = 0; index < size && size > 1; index++) {
                if (!seen.contains(index)) {
                    notes.add("QR code " + (index + 1) + " of " + size + " of this export was not given; scan it too"
                            + " to import its accounts.");
                }
            }
        });
        return new ImportedAccounts(accounts, notes);
    }

    /** The decoded {@code data} parameter. */
    static byte[] data(String uri) {
        String text = uri == null ? "" : uri.strip();
        if (!text.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            throw new ImportException("Not a Google Authenticator export (otpauth-migration://offline?data=...).");
        }
        for (String piece : text.substring(PREFIX.length()).split("&")) {
            if (piece.startsWith("data=")) {
                try {
                    String value = java.net.URLDecoder.decode(piece.substring(5).replace("+", "%2B"),
                            StandardCharsets.UTF_8);
                    return Base64.getMimeDecoder().decode(value.replace('-', '+').replace('_', '/'));
                } catch (IllegalArgumentException e) {
                    // a malformed percent escape (URLDecoder) or malformed base64
                    throw new ImportException("The Google Authenticator export's data is not valid base64.");
                }
            }
        }
        throw new ImportException("The Google Authenticator export has no data parameter.");
    }

    private Optional<Account> account(byte[] encoded, List<String> notes) {
        ProtobufReader in = new ProtobufReader(encoded);
        byte[] secret = new byte[0];
        String name = "";
        String issuer = "";
        int algorithm = 0;
        int digits = 0;
        int type = 0;
        long counter = 0;
        try {
            while (in.hasMore()) {
                int key = in.nextKey();
                switch (ProtobufReader.fieldNumber(key)) {
                    case 1 -> secret = in.lengthDelimited();
                    case 2 -> name = in.string();
                    case 3 -> issuer = in.string();
                    case 4 -> algorithm = (int) in.varint();
                    case 5 -> digits = (int) in.varint();
                    case 6 -> type = (int) in.varint();
                    case 7 -> counter = in.varint();
                    default -> in.skip(key);
                }
            }
            String account = name;
            if (!issuer.isEmpty() && account.startsWith(issuer + ":")) {
                account = account.substring(issuer.length() + 1).strip();
            }
            String shown = NewAccounts.name(issuer, account);
            if (type != 1 && type != 2) {
                notes.add(shown + ": unknown account type " + type + " (skipped).");
                return Optional.empty();
            }
            if (algorithm == 4) {
                notes.add(shown + ": MD5 codes are not supported (skipped).");
                return Optional.empty();
            }
            HmacAlgorithm hmac = switch (algorithm) {
                case 2 -> HmacAlgorithm.SHA256;
                case 3 -> HmacAlgorithm.SHA512;
                default -> HmacAlgorithm.SHA1;
            };
            OtpType otpType = type == 1 ? OtpType.HOTP : OtpType.TOTP;
            return Optional.of(newAccounts.from(new OtpAuthUri(otpType, issuer, account, OtpSecret.of(secret), hmac,
                    digits == 2 ? 8 : 6, 30, counter)));
        } catch (IllegalArgumentException | ProtocolException e) {
            notes.add((name.isEmpty() ? "An account" : name) + ": "
                    + (e instanceof ProtocolException ? e.getMessage() : "damaged entry (" + e.getMessage() + ")")
                    + " (skipped).");
            return Optional.empty();
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * One decoded MigrationPayload; {@code otpParameters} holds each entry's still-encoded bytes (secrets: not a
     * record, and wiped by {@link #read} after use).
     */
    private static final class Payload {
        private final List<byte[]> otpParameters;
        private final int batchSize;
        private final int batchIndex;
        private final long batchId;

        private Payload(List<byte[]> otpParameters, int batchSize, int batchIndex, long batchId) {
            this.otpParameters = otpParameters;
            this.batchSize = batchSize;
            this.batchIndex = batchIndex;
            this.batchId = batchId;
        }

        static Payload parse(byte[] data) {
            ProtobufReader in = new ProtobufReader(data);
            List<byte[]> entries = new ArrayList<>();
            int batchSize = 1;
            int batchIndex = 0;
            long batchId = 0;
            try {
                while (in.hasMore()) {
                    int key = in.nextKey();
                    switch (ProtobufReader.fieldNumber(key)) {
                        case 1 -> entries.add(in.lengthDelimited());
                        case 3 -> batchSize = (int) Math.min(1000, in.varint());
                        case 4 -> batchIndex = (int) Math.min(1000, in.varint());
                        case 5 -> batchId = in.varint();
                        default -> in.skip(key);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ImportException("The Google Authenticator export is damaged (" + e.getMessage() + ").");
            } finally {
                Arrays.fill(data, (byte) 0);
            }
            return new Payload(entries, Math.max(1, batchSize), batchIndex, batchId);
        }
    }
}
