package org.countersign.push.rotation;

/**
 * The SQL that reads which key sealed each TOTP secret, straight from the ciphertext's header (version byte 2, then
 * the 4-byte key id; see {@link org.countersign.push.crypto.SecretBox}), shared by the running service and the
 * commands. A version 1 secret names no key and is counted as {@value #UNVERSIONED}.
 */
public final class SecretKeyQueries {
    public static final String UNVERSIONED = "unversioned";

    /** The key id of a row's secret, or 'unversioned'. */
    public static final String KEY_OF_ROW = "CASE WHEN get_byte(totp_secret, 0) = 2 "
            + "THEN encode(substring(totp_secret from 2 for 4), 'hex') ELSE '" + UNVERSIONED + "' END";

    /** Rows per key: columns {@code key_id}, {@code n}. */
    public static final String COUNT_BY_KEY = "SELECT " + KEY_OF_ROW + " AS key_id, count(*) AS n FROM devices GROUP BY 1";

    private SecretKeyQueries() {
    }
}
