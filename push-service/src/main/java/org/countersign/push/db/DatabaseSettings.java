package org.countersign.push.db;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where and as whom the service connects to PostgreSQL: host, port, database, user, password and TLS mode.
 *
 * <p>Immutable. The password never appears in {@link #toString()} nor in any exception message. The same
 * settings produce a JDBC URL (for Flyway and tests) and Vert.x connect options that agree on the TLS mode:
 * without an {@code sslmode} the connection is not encrypted (right for the embedded server on 127.0.0.1);
 * {@code require} encrypts without checking the certificate, as libpq does; {@code verify-ca} and
 * {@code verify-full} check it against the JVM's default trust store.
 */
public final class DatabaseSettings {

    /** The port PostgreSQL uses when a URL names none. */
    public static final int DEFAULT_PORT = 5432;

    private static final String EXPECTED_FORM = "postgresql://user:password@host:port/database";

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final SslMode sslMode;

    /**
     * @param password may be empty (the server then must not ask for one), never null
     * @throws IllegalArgumentException when a value is blank, null or the port is outside 1..65535
     */
    public DatabaseSettings(String host, int port, String database, String user, String password, SslMode sslMode) {
        this.host = requireText(host, "host");
        this.database = requireText(database, "database name");
        this.user = requireText(user, "user");
        this.password = Objects.requireNonNull(password, "password (use \"\" for none)");
        this.sslMode = Objects.requireNonNull(sslMode, "sslMode");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("database port " + port + " is not between 1 and 65535");
        }
        this.port = port;
    }

    /** Unencrypted settings, as used for the embedded server. */
    public DatabaseSettings(String host, int port, String database, String user, String password) {
        this(host, port, database, user, password, SslMode.DISABLE);
    }

    /**
     * Parses {@code postgresql://user:password@host:port/database} (or {@code postgres://...}).
     *
     * <p>User and password are percent-decoded (write {@code %40} for {@code @} in a password); the port defaults
     * to 5432; an IPv6 host is written in brackets. Of the query parameters only {@code sslmode} is used (one of
     * disable, allow, prefer, require, verify-ca, verify-full); the others are ignored.
     *
     * @throws IllegalArgumentException naming the part that is wrong; the message never contains the password
     */
    public static DatabaseSettings fromUrl(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("is empty");
        }
        String rest = stripScheme(url.trim());
        int query = rest.indexOf('?');
        String queryPart = query >= 0 ? rest.substring(query + 1) : "";
        rest = query >= 0 ? rest.substring(0, query) : rest;
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw invalid("names no database");
        }
        String authority = rest.substring(0, slash);
        String database = percentDecode(rest.substring(slash + 1), "database name");
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            throw invalid("names no user (the part before '@')");
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        String user = percentDecode(colon >= 0 ? userInfo.substring(0, colon) : userInfo, "user");
        String password = colon >= 0 ? percentDecode(userInfo.substring(colon + 1), "password") : "";
        if (user.isEmpty()) {
            throw invalid("names no user (the part before '@')");
        }
        HostAndPort hostAndPort = HostAndPort.parse(authority.substring(at + 1));
        if (database.contains("/")) {
            throw invalid("has a database name containing '/'");
        }
        return new DatabaseSettings(hostAndPort.host, hostAndPort.port, database, user, password,
                sslModeFrom(queryPart));
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** The password, or "" when none is used. Keep it out of logs. */
    public String password() {
        return password;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    /** The same server and credentials, another database on it. */
    public DatabaseSettings withDatabase(String otherDatabase) {
        return new DatabaseSettings(host, port, otherDatabase, user, password, sslMode);
    }

    /**
     * The JDBC URL of the database, without credentials: pass {@link #user()} and {@link #password()} separately,
     * so the URL can be logged.
     */
    public String jdbcUrl() {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        String url = "jdbc:postgresql://" + hostPart + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8) + "?sslmode=" + sslMode.value;
        if (sslMode == SslMode.VERIFY_CA || sslMode == SslMode.VERIFY_FULL) {
            url += "&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory";
        }
        return url;
    }

    /** Fresh Vert.x connect options for these settings (callers may tune the returned object). */
    public PgConnectOptions connectOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setSslMode(sslMode);
        if (!password.isEmpty()) {
            options.setPassword(password);
        }
        if (sslMode == SslMode.VERIFY_CA || sslMode == SslMode.VERIFY_FULL) {
            ClientSSLOptions ssl = new ClientSSLOptions().setTrustOptions(TrustOptions.wrap(jvmTrustStore()));
            options.setSslOptions(sslMode == SslMode.VERIFY_FULL ? ssl.setHostnameVerificationAlgorithm("HTTPS") : ssl);
        } else if (sslMode != SslMode.DISABLE) {
            options.setSslOptions(new ClientSSLOptions().setTrustAll(true));
        }
        return options;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + user + "@" + host + ":" + port + "/" + database
                + ", password=" + (password.isEmpty() ? "(none)" : "***") + ", sslmode=" + sslMode.value + "]";
    }

    private static String stripScheme(String url) {
        for (String scheme : new String[] {"postgresql://", "postgres://"}) {
            if (url.regionMatches(true, 0, scheme, 0, scheme.length())) {
                return url.substring(scheme.length());
            }
        }
        if (url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            throw invalid("is a JDBC URL; write it as " + EXPECTED_FORM);
        }
        throw invalid("must start with postgresql:// or postgres:// (" + EXPECTED_FORM + ")");
    }

    private static SslMode sslModeFrom(String query) {
        SslMode mode = SslMode.DISABLE;
        for (String parameter : query.split("&")) {
            int eq = parameter.indexOf('=');
            if (eq > 0 && parameter.substring(0, eq).equals("sslmode")) {
                String value = parameter.substring(eq + 1).toLowerCase(Locale.ROOT);
                try {
                    mode = SslMode.of(value);
                } catch (IllegalArgumentException e) {
                    throw invalid("has sslmode '" + value
                            + "'; use disable, allow, prefer, require, verify-ca or verify-full");
                }
            }
        }
        return mode;
    }

    private static String percentDecode(String text, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int value = i + 2 < text.length() ? hex(text.charAt(i + 1), text.charAt(i + 2)) : -1;
            if (value < 0) {
                throw invalid("has a malformed percent escape in the " + what);
            }
            bytes.write(value);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    private static TrustManagerFactory jvmTrustStore() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's default trust store cannot be loaded", e);
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("database " + what + " is missing");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("The database URL " + problem + ".");
    }

    /** The host part of a URL authority; IPv6 literals are written in brackets. */
    private record HostAndPort(String host, int port) {
        static HostAndPort parse(String text) {
            String host;
            String portText = null;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    throw invalid("has an IPv6 host without its closing ']'");
                }
                host = text.substring(1, close);
                String after = text.substring(close + 1);
                if (!after.isEmpty() && !after.startsWith(":")) {
                    throw invalid("has text after the IPv6 host");
                }
                portText = after.isEmpty() ? null : after.substring(1);
            } else {
                int colon = text.indexOf(':');
                host = colon >= 0 ? text.substring(0, colon) : text;
                portText = colon >= 0 ? text.substring(colon + 1) : null;
            }
            if (host.isEmpty()) {
                throw invalid("names no host");
            }
            return new HostAndPort(host, portText == null ? DEFAULT_PORT : port(portText));
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid("has port '" + text + "', which is not a number between 1 and 65535");
        }
    }
}
