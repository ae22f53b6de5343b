package org.countersign.authenticator.vault;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** The file-system steps that make vault saves atomic and durable: owner-only temporary files, fsync, rename. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A new owner-only temporary file next to {@code target}, named so {@link #deleteLeftovers} can find it. */
    static Path temporaryNextTo(Path target) throws IOException {
        return Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp", ownerOnly());
    }

    /** Copies {@code source} to {@code target} through a forced temporary file and an atomic rename. */
    static void copy(Path source, Path target) throws IOException {
        Path temporary = temporaryNextTo(target);
        try {
            Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Deletes the temporary files a killed save of {@code target} (or of one of its backups) left behind. Call only
     * under the vault lock: a save in progress holds it, so every such file found then is abandoned.
     */
    static void deleteLeftovers(Path target) throws IOException {
        String prefix = "." + target.getFileName() + ".";
        try (var files = Files.list(target.getParent())) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".tmp") && Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Makes a rename durable where the platform allows opening a directory (not on Windows). */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file itself was already forced to disk.
        }
    }

    static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
