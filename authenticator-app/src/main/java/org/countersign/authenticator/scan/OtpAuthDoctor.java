package org.countersign.authenticator.scan;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.countersign.authenticator.scan.Finding.Severity;
import org.countersign.protocol.Base32;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;
import org.countersign.protocol.Totp;

/**
 * Explains what is wrong or unusual in an {@code otpauth://} URI and how this app would normalise it: characters
 * that should be percent-encoded, an issuer in the label that differs from the {@code issuer} parameter, Base32
 * padding, case and spaces, secrets under 128 bits (RFC 4226 R6), unknown or misplaced parameters, and values other
 * apps may ignore. Findings never repeat the secret.
 */
public final class OtpAuthDoctor {
    private static final Set<String> KNOWN = Set.of("secret", "issuer", "algorithm", "digits", "period", "counter");
    private static final String ALLOWED_PUNCTUATION = "-._~!$&'()*+,;=:@/?%";
    private static final int RECOMMENDED_BITS = 128;
    /** Periods above this are rare; some servers and apps accept no longer. */
    private static final int COMMON_MAX_PERIOD = 300;

    public Diagnosis examine(String uri) {
        List<Finding> findings = new ArrayList<>();
        String text = uri == null ? "" : uri.strip();
        if (!text.regionMatches(true, 0, "otpauth://", 0, 10)) {
            findings.add(new Finding(Severity.ERROR, text.regionMatches(true, 0, "otpauth-migration://", 0, 20)
                    ? "This is a Google Authenticator export, not one account: use `authenticator import`."
                    : "Not an otpauth:// URI."));
            return new Diagnosis(findings, null);
        }
        if (!text.startsWith("otpauth://")) {
            findings.add(new Finding(Severity.NOTE, "The scheme is not in lower case; normalised to otpauth://."));
        }
        String encoded = encodeStrayCharacters(text, findings);
        int question = encoded.indexOf('?');
        String path = question < 0 ? encoded.substring(10) : encoded.substring(10, question);
        Map<String, String> query = rawQuery(question < 0 ? "" : encoded.substring(question + 1));
        checkType(path, query, findings);
        checkLabelAndIssuer(path, query, findings);
        checkSecret(query.get("secret"), findings);
        checkParameters(query, findings);
        OtpAuthUri parsed = null;
        try {
            parsed = OtpAuthUri.parse("otpauth://" + encoded.substring(10));
        } catch (ProtocolException e) {
            if (findings.stream().noneMatch(f -> f.severity() == Severity.ERROR)) {
                findings.add(new Finding(Severity.ERROR, "Cannot be used: " + e.getMessage() + "."));
            }
        }
        return new Diagnosis(findings, parsed);
    }

    /** Percent-encodes characters RFC 3986 does not allow unencoded, reporting each kind once. */
    private static String encodeStrayCharacters(String text, List<Finding> findings) {
        StringBuilder out = new StringBuilder(text.length());
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            int c = text.codePointAt(i);
            if (c < 0x20 || c == 0x7f) {
                findings.add(new Finding(Severity.ERROR, "The URI contains a control character at position " + i
                        + "; it cannot be used."));
                out.append('?');
            } else if (c < 0x80 && (Character.isLetterOrDigit(c) || ALLOWED_PUNCTUATION.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                String escaped = percentEncode(c);
                seen.putIfAbsent(c == ' ' ? "space" : "'" + new String(Character.toChars(c)) + "'", escaped);
                out.append(escaped);
            }
        }
        seen.forEach((what, escaped) -> findings.add(new Finding(Severity.WARNING, "Unencoded " + what
                + " in the URI; some apps stop reading there or refuse it. Normalised as " + escaped + ".")));
        return out.toString();
    }

    private static String percentEncode(int codePoint) {
        StringBuilder out = new StringBuilder();
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    private static void checkType(String path, Map<String, String> query, List<Finding> findings) {
        int slash = path.indexOf('/');
        String type = slash < 0 ? path : path.substring(0, slash);
        if (!type.equalsIgnoreCase("totp") && !type.equalsIgnoreCase("hotp")) {
            findings.add(new Finding(Severity.ERROR, "The type '" + type + "' is neither totp nor hotp."));
            return;
        }
        if (!type.equals(type.toLowerCase(Locale.ROOT))) {
            findings.add(new Finding(Severity.NOTE, "The type is not in lower case; normalised to "
                    + type.toLowerCase(Locale.ROOT) + "."));
        }
        boolean hotp = type.equalsIgnoreCase(OtpType.HOTP.uriName());
        if (hotp && query.containsKey("period")) {
            findings.add(new Finding(Severity.WARNING, "An hotp account has no period; the parameter is ignored."));
        }
        if (!hotp && query.containsKey("counter")) {
            findings.add(new Finding(Severity.WARNING, "A totp account has no counter; the parameter is ignored."));
        }
        if (hotp && !query.containsKey("counter")) {
            findings.add(new Finding(Severity.ERROR, "An hotp account needs a counter parameter."));
        }
    }

    private static void checkLabelAndIssuer(String path, Map<String, String> query, List<Finding> findings) {
        int slash = path.indexOf('/');
        String rawLabel = slash < 0 ? "" : path.substring(slash + 1);
        if (rawLabel.contains("+") || query.getOrDefault("issuer", "").contains("+")) {
            findings.add(new Finding(Severity.NOTE, "'+' is read as a plus sign, as RFC 3986 says; if it was meant"
                    + " as a space, write %20."));
        }
        String label = decode(rawLabel);
        int colon = label.indexOf(':');
        String labelIssuer = colon < 0 ? "" : label.substring(0, colon).strip();
        String parameter = query.containsKey("issuer") ? decode(query.get("issuer")) : "";
        if (!labelIssuer.isEmpty() && !parameter.isEmpty() && !labelIssuer.equals(parameter)) {
            findings.add(new Finding(Severity.WARNING, "The label says the issuer is '" + labelIssuer
                    + "' but the issuer parameter says '" + parameter + "'; the parameter wins and the label is"
                    + " rewritten to match."));
        } else if (labelIssuer.isEmpty() && parameter.isEmpty()) {
            findings.add(new Finding(Severity.WARNING, "No issuer, in the label or as a parameter: the account will"
                    + " be listed by its name alone."));
        } else if (parameter.isEmpty()) {
            findings.add(new Finding(Severity.NOTE, "The issuer parameter is missing; it is added from the label"
                    + " ('" + labelIssuer + "')."));
        } else if (labelIssuer.isEmpty()) {
            findings.add(new Finding(Severity.NOTE, "The label has no issuer prefix; '" + parameter
                    + ":' is added."));
        }
        if (colon >= 0 && label.substring(colon + 1).startsWith(" ")) {
            findings.add(new Finding(Severity.NOTE, "Spaces after the colon of the label are dropped."));
        }
    }

    private static void checkSecret(String raw, List<Finding> findings) {
        if (raw == null || raw.isEmpty()) {
            findings.add(new Finding(Severity.ERROR, "The secret parameter is missing."));
            return;
        }
        String secret = decode(raw);
        if (secret.indexOf('=') >= 0) {
            findings.add(new Finding(Severity.NOTE, "The secret has Base32 '=' padding; it is removed."));
        }
        if (!secret.equals(secret.toUpperCase(Locale.ROOT))) {
            findings.add(new Finding(Severity.NOTE, "The secret is in lower case; Base32 is normalised to upper"
                    + " case."));
        }
        if (secret.indexOf(' ') >= 0) {
            findings.add(new Finding(Severity.NOTE, "The secret contains spaces; they are removed."));
        }
        byte[] bytes;
        try {
            bytes = Base32.decode(secret);
        } catch (IllegalArgumentException e) {
            findings.add(new Finding(Severity.ERROR, "The secret is not valid Base32 (" + e.getMessage() + ")."));
            return;
        }
        int bits = bytes.length * 8;
        java.util.Arrays.fill(bytes, (byte) 0);
        if (bits == 0) {
            findings.add(new Finding(Severity.ERROR, "The secret is empty."));
        } else if (bits < RECOMMENDED_BITS) {
            findings.add(new Finding(Severity.WARNING, "The secret is only " + bits + " bits; RFC 4226 asks for at"
                    + " least 128 (160 recommended). Ask the issuer for a new one if you can."));
        }
    }

    private static void checkParameters(Map<String, String> query, List<Finding> findings) {
        for (String name : query.keySet()) {
            if (!KNOWN.contains(name)) {
                findings.add(new Finding(Severity.WARNING, "Unknown parameter '" + name + "'"
                        + (KNOWN.contains(name.toLowerCase(Locale.ROOT)) ? " (parameter names are case-sensitive: '"
                        + name.toLowerCase(Locale.ROOT) + "')" : "") + "; it is ignored and dropped."));
            }
        }
        String algorithm = query.get("algorithm");
        if (algorithm != null && !algorithm.equalsIgnoreCase("SHA1")) {
            findings.add(new Finding(Severity.NOTE, "The algorithm is " + algorithm + "; some apps ignore it and"
                    + " show wrong codes."));
        }
        String digits = query.get("digits");
        if (digits != null && !digits.equals("6") && !digits.equals("8")) {
            findings.add(new Finding(digits.equals("7") ? Severity.NOTE : Severity.ERROR, digits.equals("7")
                    ? "7-digit codes are unusual; some apps support only 6 or 8." : "digits must be 6, 7 or 8."));
        }
        checkPeriod(query.get("period"), findings);
    }

    /**
     * Any period from 1 s to a day is kept as it is, but anything other than 30 s is worth a word: apps that assume
     * 30 s (Google Authenticator among them) show wrong codes, and a long period keeps each code valid that long.
     */
    private static void checkPeriod(String period, List<Finding> findings) {
        if (period == null || period.equals("30") || !period.matches("[0-9]{1,9}")) {
            return; // absent, the usual value, or not a number (the parser's error says so)
        }
        int seconds = Integer.parseInt(period);
        if (seconds < Totp.MIN_PERIOD || seconds > Totp.MAX_PERIOD) {
            findings.add(new Finding(Severity.ERROR, "The period is " + seconds + " s; it must be "
                    + Totp.MIN_PERIOD + " to " + Totp.MAX_PERIOD + " s (a day)."));
        } else if (seconds > COMMON_MAX_PERIOD) {
            findings.add(new Finding(Severity.WARNING, "The period is " + seconds + " s (" + duration(seconds)
                    + "): each code stays valid that long, and apps that assume 30 s show wrong codes. This app"
                    + " keeps the period as it is."));
        } else {
            findings.add(new Finding(Severity.NOTE, "The period is " + seconds + " s, not the usual 30 s; some"
                    + " apps assume 30 s and show wrong codes. This app keeps the period as it is."));
        }
        if (period.length() > 1 && period.startsWith("0")) {
            findings.add(new Finding(Severity.NOTE, "The period has leading zeros; normalised to " + seconds + "."));
        }
    }

    private static String duration(int seconds) {
        if (seconds % 3600 == 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        return seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    /** The query's raw (still encoded) values by name; the first of a repeated name wins here. */
    private static Map<String, String> rawQuery(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String piece : query.split("&")) {
            if (!piece.isEmpty()) {
                int equals = piece.indexOf('=');
                parameters.putIfAbsent(decode(equals < 0 ? piece : piece.substring(0, equals)),
                        equals < 0 ? "" : piece.substring(equals + 1));
            }
        }
        return parameters;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
