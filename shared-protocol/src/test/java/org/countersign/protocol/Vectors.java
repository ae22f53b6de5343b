package org.countersign.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Reads the golden files under {@code src/test/resources/vectors/}. */
final class Vectors {

    private Vectors() {
    }

    /** All lines of a vector file, comments ({@code #}) and blank lines included. */
    static List<String> rawLines(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test vector file vectors/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Non-blank, non-comment lines split on spaces. */
    static List<String[]> records(String name) {
        return rawLines(name).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split(" +"))
                .toList();
    }

    static byte[] hex(String text) {
        return text.equals("-") ? new byte[0] : HexFormat.of().parseHex(text);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
