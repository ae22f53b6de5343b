package org.countersign.authenticator.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files that hold secrets in plaintext: new files only (never over another), readable by the owner only. */
public final class PlaintextFiles {
    /** Writes the content of a new file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private PlaintextFiles() {
    }

    /** @throws FileAlreadyExistsException when {@code file} exists; it is left as it was */
    public static void writeNew(Path file, Content content) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            content.writeTo(out);
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Writes {@code lines} as UTF-8 text, one per line, into a new owner-only file. */
    public static void writeNewText(Path file, Iterable<String> lines) throws IOException {
        writeNew(file, out -> {
            for (String line : lines) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        });
    }
}
