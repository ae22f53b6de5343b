package org.countersign.authenticator.vault;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;

/** The JSON inside the vault ciphertext (documented in VAULT-FORMAT.md). Only the vault package sees it. */
final class AccountJson {
    /** Version 2 added {@code clockChecks}; version 1 content is still read. */
    static final int CONTENT_VERSION = 2;

    private AccountJson() {
    }

    /** What the JSON holds. */
    record Contents(List<Account> accounts, Map<String, ClockCheck> clockChecks) {
    }

    static JsonObject encode(Vault vault) {
        JsonArray array = new JsonArray();
        for (Account account : vault.accounts()) {
            array.add(encode(account));
        }
        JsonArray checks = new JsonArray();
        for (ClockCheck check : vault.clockChecks().values()) {
            checks.add(new JsonObject().put("source", check.source()).put("skewMillis", check.skew().toMillis())
                    .put("measuredAt", check.measuredAt().toString()));
        }
        return new JsonObject().put("version", CONTENT_VERSION).put("accounts", array).put("clockChecks", checks);
    }

    /**
     * @throws IllegalArgumentException or ClassCastException or NullPointerException when the JSON is not a valid
     *                                  list of accounts (the caller reports a damaged vault)
     */
    static Contents decode(JsonObject json) {
        Integer version = json.getInteger("version");
        if (version == null || version < 1 || version > CONTENT_VERSION) {
            throw new IllegalArgumentException("unsupported content version " + version);
        }
        List<Account> accounts = new ArrayList<>();
        for (Object item : json.getJsonArray("accounts")) {
            accounts.add(decodeAccount((JsonObject) item));
        }
        Map<String, ClockCheck> checks = new LinkedHashMap<>();
        for (Object item : json.getJsonArray("clockChecks", new JsonArray())) {
            JsonObject check = (JsonObject) item;
            ClockCheck decoded = new ClockCheck(check.getString("source"),
                    Duration.ofMillis(check.getLong("skewMillis")), Instant.parse(check.getString("measuredAt")));
            checks.put(decoded.source(), decoded);
        }
        return new Contents(accounts, checks);
    }

    private static JsonObject encode(Account account) {
        JsonObject json = new JsonObject().put("type", account.type()).put("id", account.id())
                .put("issuer", account.issuer());
        if (account instanceof TotpAccount totp) {
            json.put("account", totp.accountName()).put("secret", totp.secret().base32())
                    .put("algorithm", totp.totp().algorithm().uriName()).put("digits", totp.totp().digits())
                    .put("period", totp.totp().periodSeconds());
        } else if (account instanceof HotpAccount hotp) {
            json.put("account", hotp.accountName()).put("secret", hotp.secret().base32())
                    .put("algorithm", hotp.algorithm().uriName()).put("digits", hotp.digits())
                    .put("counter", hotp.counter());
        } else if (account instanceof PushAccount push) {
            byte[] key = push.signer().privateKeyBytes();
            try {
                json.put("username", push.username()).put("deviceId", push.deviceId())
                        .put("serviceUrl", push.serviceUrl().toString())
                        .put("channelUrl", push.channelUrl().toString())
                        .put("privateKey", Base64.getUrlEncoder().withoutPadding().encodeToString(key))
                        .put("totp", new JsonObject().put("secret", push.totpSecret().base32())
                                .put("algorithm", push.totp().algorithm().uriName())
                                .put("digits", push.totp().digits())
                                .put("period", push.totp().periodSeconds()))
                        .put("activatedAt", push.activatedAt().toString());
                push.tlsPin().ifPresent(pin -> json.put("tlsPin", pin));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return json;
    }

    private static Account decodeAccount(JsonObject json) {
        String type = json.getString("type");
        String id = json.getString("id");
        String issuer = json.getString("issuer", "");
        switch (type == null ? "" : type) {
            case "totp":
                return new TotpAccount(id, issuer, json.getString("account"),
                        OtpSecret.fromBase32(json.getString("secret")), totpOf(json));
            case "hotp":
                return new HotpAccount(id, issuer, json.getString("account"),
                        OtpSecret.fromBase32(json.getString("secret")),
                        HmacAlgorithm.fromUriName(json.getString("algorithm")), json.getInteger("digits"),
                        json.getLong("counter"));
            case "push":
                JsonObject totp = json.getJsonObject("totp");
                byte[] key = Base64.getUrlDecoder().decode(json.getString("privateKey"));
                try {
                    return new PushAccount(id, issuer, json.getString("username"), json.getString("deviceId"),
                            URI.create(json.getString("serviceUrl")), URI.create(json.getString("channelUrl")),
                            DeviceSigner.fromPrivateKey(key), OtpSecret.fromBase32(totp.getString("secret")),
                            totpOf(totp), Optional.ofNullable(json.getString("tlsPin")),
                            Instant.parse(json.getString("activatedAt")));
                } finally {
                    Arrays.fill(key, (byte) 0);
                }
            default:
                throw new IllegalArgumentException("unknown account type '" + type + "'");
        }
    }

    private static Totp totpOf(JsonObject json) {
        return new Totp(HmacAlgorithm.fromUriName(json.getString("algorithm")), json.getInteger("digits"),
                json.getInteger("period"));
    }
}
