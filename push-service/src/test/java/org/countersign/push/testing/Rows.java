package org.countersign.push.testing;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.HexFormat;
import java.util.Iterator;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.push.crypto.Tokens;

/** What the database holds, read directly, so tests check the record and not only what the API says. */
public final class Rows {
    private final TestService service;

    public Rows(TestService service) {
        this.service = service;
    }

    /** A sign-in's stored state and denial reason (reason may be null). */
    public record SignInRow(String state, String reason, String method) {
    }

    /** A session's stored scope and whether MFA was completed for it. */
    public record SessionRow(String scope, boolean mfaCompleted) {
    }

    public SignInRow signIn(String signInId) {
        Row row = one(service.sql("SELECT state, reason, method FROM sign_ins WHERE id = '" + uuid(signInId) + "'"));
        return new SignInRow(row.getString("state"), row.getString("reason"), row.getString("method"));
    }

    public String deviceState(String deviceId) {
        return one(service.sql("SELECT state FROM devices WHERE id = '" + uuid(deviceId) + "'")).getString("state");
    }

    public int failedMfaAttempts(String username) {
        return one(service.sql("SELECT failed_mfa_attempts FROM users WHERE username = '" + name(username) + "'"))
                .getInteger("failed_mfa_attempts");
    }

    public SessionRow session(String token) {
        String hash = HexFormat.of().formatHex(Tokens.hash(token));
        Row row = one(service.sql("SELECT scope, mfa_completed FROM sessions WHERE token_hash = '\\x" + hash + "'"));
        return new SessionRow(row.getString("scope"), row.getBoolean("mfa_completed"));
    }

    /** The device's answer to one sign-in: its {@link ApprovalResult} or {@link ChannelError}; skips other frames. */
    public static ChannelMessage answerTo(TestDevice device, String signInId) {
        for (int i = 0; i < 50; i++) {
            ChannelMessage message = device.next();
            if (message instanceof ApprovalResult result && result.signInId().equals(signInId)) {
                return result;
            }
            if (message instanceof ChannelError error && signInId.equals(error.signInId())) {
                return error;
            }
        }
        throw new AssertionError("no answer to " + signInId + " among 50 frames");
    }

    private static Row one(RowSet<Row> rows) {
        Iterator<Row> iterator = rows.iterator();
        if (!iterator.hasNext()) {
            throw new AssertionError("no such row");
        }
        return iterator.next();
    }

    private static String uuid(String id) {
        return java.util.UUID.fromString(id).toString();
    }

    private static String name(String username) {
        if (!username.matches("[A-Za-z0-9._@+-]+")) {
            throw new IllegalArgumentException("not a username: " + username);
        }
        return username;
    }
}
