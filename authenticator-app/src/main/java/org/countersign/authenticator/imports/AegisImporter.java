package org.countersign.authenticator.imports;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.countersign.authenticator.vault.Account;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;

/**
 * An Aegis Authenticator export (its documented vault format, version 1): JSON with a {@code header} and a
 * {@code db}. In a plain export {@code header.slots} is null and {@code db} is the JSON object itself; in an encrypted
 * one {@code db} is base64 ciphertext, opened by {@link AegisVaultCipher} with the export password.
 *
 * <p>The db's {@code entries} of type {@code totp} and {@code hotp} are carried over; other types (Steam, mOTP,
 * Yandex), icons, notes, groups and favourites are reported as not carried over.
 */
public final class AegisImporter {
    private static final int FORMAT_VERSION = 1;

    private final NewAccounts newAccounts;

    public AegisImporter(SecureRandom random) {
        this.newAccounts = new NewAccounts(random);
    }

    /** Whether {@code text} looks like an Aegis export (a JSON object with header and db). */
    public static boolean looksLikeAegis(String text) {
        try {
            JsonObject json = new JsonObject(text);
            return json.containsKey("header") && json.containsKey("db");
        } catch (DecodeException | ClassCastException e) {
            return false;
        }
    }

    /** Whether the export is encrypted, i.e. {@link #read} will ask for the password. */
    public static boolean isEncrypted(String text) {
        Object header = parse(text).getValue("header");
        return header instanceof JsonObject object && object.getValue("slots") != null;
    }

    /**
     * @param password asked only for an encrypted export; the array it returns is wiped after use
     * @throws ImportException for a wrong password or a file that is not an Aegis export
     */
    public ImportedAccounts read(String text, Supplier<char[]> password) {
        try {
            return readTyped(text, password);
        } catch (ClassCastException e) {
            // any field of another JSON type than the format's (a number that is an object, entries not a list, ...)
            throw new ImportException("Not a readable Aegis export: a field has the wrong type.");
        }
    }

    private ImportedAccounts readTyped(String text, Supplier<char[]> password) {
        JsonObject root = parse(text);
        Integer version = root.getInteger("version");
        if (version == null || version != FORMAT_VERSION) {
            throw new ImportException("Unsupported Aegis export version " + version + " (this program reads "
                    + FORMAT_VERSION + ").");
        }
        JsonObject db;
        try {
            db = isEncrypted(text) ? decrypt(root, password) : root.getJsonObject("db");
        } catch (ClassCastException e) {
            throw new ImportException("The Aegis export is damaged (its db is not what the header says).");
        }
        if (db == null) {
            throw new ImportException("The Aegis export has no db.");
        }
        return entries(db);
    }

    private static JsonObject decrypt(JsonObject root, Supplier<char[]> password) {
        char[] typed = password.get();
        byte[] plaintext = null;
        try {
            plaintext = AegisVaultCipher.open(root.getJsonObject("header"), root.getString("db"), typed);
            return new JsonObject(new String(plaintext, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            throw new ImportException("The Aegis export decrypted, but its contents are not JSON.");
        } finally {
            if (typed != null) {
                Arrays.fill(typed, '\0');
            }
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    private ImportedAccounts entries(JsonObject db) {
        List<Account> accounts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int icons = 0;
        int grouped = 0;
        int notesDropped = 0;
        JsonArray entries = db.getJsonArray("entries", new JsonArray());
        for (Object item : entries) {
            if (!(item instanceof JsonObject entry)) {
                notes.add("An entry that is not a JSON object (skipped).");
                continue;
            }
            entry(entry, notes).ifPresent(accounts::add);
            icons += entry.getValue("icon") != null ? 1 : 0;
            notesDropped += !entry.getString("note", "").isBlank() ? 1 : 0;
            JsonArray groups = entry.getValue("groups") instanceof JsonArray array ? array : new JsonArray();
            grouped += !groups.isEmpty() || entry.getValue("group") != null ? 1 : 0;
        }
        if (icons > 0) {
            notes.add(icons + " icon" + (icons == 1 ? " was" : "s were") + " not carried over (this app shows none).");
        }
        if (grouped > 0) {
            notes.add("Groups were not carried over (" + grouped + " account" + (grouped == 1 ? " was" : "s were")
                    + " in a group).");
        }
        if (notesDropped > 0) {
            notes.add(notesDropped + " note" + (notesDropped == 1 ? " was" : "s were") + " not carried over.");
        }
        return new ImportedAccounts(accounts, notes);
    }

    private Optional<Account> entry(JsonObject entry, List<String> notes) {
        String type = entry.getString("type", "").toLowerCase(Locale.ROOT);
        String issuer = entry.getString("issuer", "").strip();
        String name = entry.getString("name", "").strip();
        String shown = NewAccounts.name(issuer, name);
        if (!type.equals("totp") && !type.equals("hotp")) {
            notes.add(shown + ": " + (type.equals("steam") ? "Steam" : type.isEmpty() ? "untyped" : type)
                    + " accounts are not supported (skipped).");
            return Optional.empty();
        }
        JsonObject info = entry.getJsonObject("info", new JsonObject());
        try {
            OtpSecret secret = OtpSecret.fromBase32(info.getString("secret"));
            OtpType otpType = type.equals("totp") ? OtpType.TOTP : OtpType.HOTP;
            return Optional.of(newAccounts.from(new OtpAuthUri(otpType, issuer, name.isEmpty() ? issuer : name,
                    secret, HmacAlgorithm.fromUriName(info.getString("algo", "SHA1")), info.getInteger("digits", 6),
                    info.getInteger("period", 30), info.getLong("counter", 0L))));
        } catch (ProtocolException | ClassCastException e) {
            notes.add(shown + ": " + (e instanceof ProtocolException ? e.getMessage() : "damaged entry")
                    + " (skipped).");
            return Optional.empty();
        }
    }

    private static JsonObject parse(String text) {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new ImportException("Not an Aegis export: the file is not a JSON object.");
        }
    }
}
