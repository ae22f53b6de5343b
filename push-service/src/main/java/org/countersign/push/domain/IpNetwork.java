package org.countersign.push.domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CIDR range of IPv4 or IPv6 addresses ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a range of
 * one). Parsing never touches DNS: only address literals are accepted. An IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}) is treated as the IPv4 address it carries.
 */
public final class IpNetwork {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    private final byte[] network;
    private final int prefix;
    private final String text;

    private IpNetwork(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses a CIDR range; the exception's message says what is wrong, for an admin to read. */
    public static IpNetwork parse(String cidr) {
        String trimmed = cidr == null ? "" : cidr.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = parseAddress(addressText).orElseThrow(() -> new IllegalArgumentException(
                "'" + cidr + "' is not a CIDR range such as 10.0.0.0/8 or 2001:db8::/32."));
        if (addressText.contains(":") && address instanceof Inet4Address) {
            throw new IllegalArgumentException("'" + cidr + "': write IPv4 ranges in dotted form, such as 192.0.2.0/24.");
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = trimmed.substring(slash + 1);
            if (!PREFIX.matcher(prefixText).matches() || Integer.parseInt(prefixText) > bits) {
                throw new IllegalArgumentException("'" + cidr + "': the prefix length must be 0 to " + bits + ".");
            }
            prefix = Integer.parseInt(prefixText);
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("'" + cidr + "' has bits set after the prefix; did you mean "
                    + hostAddress(masked) + "/" + prefix + "?");
        }
        return new IpNetwork(masked, prefix, addressText.toLowerCase(Locale.ROOT) + "/" + prefix);
    }

    /**
     * Parses an IPv4 (dotted quad, no leading zeros) or IPv6 address literal; empty for anything else, host names
     * included.
     */
    public static Optional<InetAddress> parseAddress(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String part = v4.group(i + 1);
                int value = Integer.parseInt(part);
                if (value > 255 || (part.length() > 1 && part.charAt(0) == '0')) {
                    return Optional.empty();
                }
                bytes[i] = (byte) value;
            }
            return byAddress(bytes);
        }
        if (text.indexOf(':') < 0 || !IPV6.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            // a literal with ':' is parsed as IPv6 and never looked up in DNS
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefix), network);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    private static Optional<InetAddress> byAddress(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String hostAddress(byte[] bytes) {
        return byAddress(bytes).map(InetAddress::getHostAddress).orElse("?");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpNetwork that && prefix == that.prefix && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    /** The range as the admin wrote it (trimmed, lower case, with its prefix length). */
    @Override
    public String toString() {
        return text;
    }
}
