package org.countersign.authenticator.imports;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The kinds of file {@code import} reads, told apart by their content rather than their name. */
public enum ImportFormat {
    /** A vault file: an encrypted Countersign export or backup. */
    COUNTERSIGN_BACKUP("encrypted Countersign backup"),
    /** An Aegis JSON export, plain or encrypted. */
    AEGIS("Aegis export"),
    /** Lines of otpauth:// and otpauth-migration:// URIs. */
    URI_LIST("list of otpauth URIs");

    private static final byte[] VAULT_MAGIC = {'C', 'S', 'V', 'A', 'U', 'L', 'T', 0};

    private final String description;

    ImportFormat(String description) {
        this.description = description;
    }

    /** A few words for messages, e.g. "Aegis export". */
    public String description() {
        return description;
    }

    /**
     * The format of a file's content.
     *
     * @throws ImportException when it is none of them (binary data that is not a vault)
     */
    public static ImportFormat detect(byte[] content) {
        if (content.length >= VAULT_MAGIC.length
                && Arrays.equals(Arrays.copyOf(content, VAULT_MAGIC.length), VAULT_MAGIC)) {
            return COUNTERSIGN_BACKUP;
        }
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            throw new ImportException("The file is neither a Countersign backup, an Aegis export nor a text list of"
                    + " otpauth URIs.");
        }
        if (text.stripLeading().startsWith("{") && AegisImporter.looksLikeAegis(text)) {
            return AEGIS;
        }
        return URI_LIST;
    }
}
