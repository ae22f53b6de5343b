package org.countersign.authenticator.vault;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A vault file on disk. Reads never change the file; {@link #update} reads, changes and saves under a lock file, so
 * two commands running at once cannot lose each other's change. Every save is atomic (temporary file in the same
 * directory, fsync, rename) and first copies the current file to {@code <file>.bak}.
 *
 * <p>Passphrases are borrowed: this class never keeps or wipes the caller's {@code char[]}; derived keys are wiped
 * after use.
 */
public final class VaultFile {
    /** The largest file accepted as a vault; far more than any person's accounts. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    /** How the bytes of a new vault version reach the temporary file; a seam so tests can fail a save midway. */
    @FunctionalInterface
    public interface FileWriting {
        FileWriting DIRECT = (channel, bytes) -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        };

        void write(FileChannel channel, byte[] bytes) throws IOException;
    }

    private final Path path;
    private final KdfParameters kdfForNewVaults;
    private final SecureRandom random;
    private final FileWriting writing;

    /** A vault file with the default Argon2id parameters for a new vault. */
    public VaultFile(Path path) {
        this(path, KdfParameters.DEFAULTS, new SecureRandom(), FileWriting.DIRECT);
    }

    /**
     * @param kdfForNewVaults the Argon2id parameters {@link #create} uses; existing vaults keep those in their header
     */
    public VaultFile(Path path, KdfParameters kdfForNewVaults, SecureRandom random, FileWriting writing) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
        this.kdfForNewVaults = Objects.requireNonNull(kdfForNewVaults, "kdfForNewVaults");
        this.random = Objects.requireNonNull(random, "random");
        this.writing = Objects.requireNonNull(writing, "writing");
    }

    /**
     * {@code $XDG_DATA_HOME/countersign/vault.cs}, or {@code ~/.local/share/countersign/vault.cs} when
     * XDG_DATA_HOME is unset or not absolute (as the XDG spec says to ignore relative values).
     */
    public static Path defaultPath(Function<String, String> environment, Path home) {
        String xdg = environment.apply("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : home.resolve(".local").resolve("share");
        return base.resolve("countersign").resolve("vault.cs");
    }

    public Path path() {
        return path;
    }

    /** Where the previous version is kept. */
    public Path backupPath() {
        return path.resolveSibling(path.getFileName() + ".bak");
    }

    public boolean exists() {
        return Files.exists(path);
    }

    /**
     * Creates an empty vault.
     *
     * @throws VaultException when a file already exists at the path (it is never overwritten)
     */
    public Vault create(char[] passphrase) {
        requirePassphrase(passphrase);
        try {
            createDirectories(path.getParent());
        } catch (IOException e) {
            throw new VaultException("Cannot create the folder " + path.getParent() + ": " + describe(e));
        }
        try (Lock ignored = lock()) {
            if (exists()) {
                throw new VaultException("A vault already exists at " + path + "; it was not overwritten.");
            }
            Vault vault = new Vault(List.of(), kdfForNewVaults);
            write(vault, passphrase);
            return vault;
        }
    }

    /** Reads and decrypts the vault. Changes nothing on disk. */
    public Vault read(char[] passphrase) {
        requirePassphrase(passphrase);
        byte[] file = readBytes();
        VaultCipher.Opened opened;
        try {
            opened = VaultCipher.open(file, passphrase);
        } catch (VaultCipher.BadVaultFile e) {
            String why = e.headerDamaged() ? "the file is damaged (" + e.getMessage() + ")"
                    : "wrong passphrase or damaged file";
            throw new VaultException("Cannot open the vault " + path + ": " + why + ". Nothing was changed."
                    + backupHint());
        }
        byte[] plaintext = opened.plaintext();
        try {
            JsonObject json = new JsonObject(new String(plaintext, StandardCharsets.UTF_8));
            return new Vault(AccountJson.decode(json), opened.kdf());
        } catch (DecodeException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            // Authenticated but unreadable: written by a newer or broken version, not a wrong passphrase.
            throw new VaultException("Cannot read the vault " + path + ": its contents are not understood ("
                    + e.getMessage() + "). Nothing was changed." + backupHint(), e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Reads the vault, applies {@code change} and saves the result, all under the vault's lock. When the change
     * throws, nothing is saved and the exception propagates. The passphrase must be the vault's.
     *
     * @return what {@code change} returned
     */
    public <T> T update(char[] passphrase, Function<Vault, T> change) {
        requirePassphrase(passphrase);
        if (!exists()) {
            readBytes(); // throws the "no vault" message
        }
        try (Lock ignored = lock()) {
            Vault vault = read(passphrase);
            T result = change.apply(vault);
            write(vault, passphrase);
            return result;
        }
    }

    private void write(Vault vault, char[] passphrase) {
        byte[] plaintext = AccountJson.encode(vault.accounts()).encode().getBytes(StandardCharsets.UTF_8);
        byte[] file;
        try {
            file = VaultCipher.seal(plaintext, passphrase, vault.kdf(), random);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        try {
            writeAtomically(file);
        } catch (IOException e) {
            throw new VaultException("Cannot save the vault " + path + ": " + describe(e)
                    + ". The previous version is unchanged.", e);
        }
    }

    private void writeAtomically(byte[] bytes) throws IOException {
        Path directory = path.getParent();
        Path temporary = Files.createTempFile(directory, "." + path.getFileName() + ".", ".tmp", ownerOnly());
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writing.write(channel, bytes);
                channel.force(true);
            }
            if (Files.exists(path)) {
                keepBackup(directory);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            syncDirectory(directory);
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** Copies the current version to the .bak file, itself atomically, so a crash never leaves half a backup. */
    private void keepBackup(Path directory) throws IOException {
        Path temporary = Files.createTempFile(directory, "." + path.getFileName() + ".bak.", ".tmp", ownerOnly());
        try {
            Files.copy(path, temporary, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, backupPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (not on Windows). */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file itself was already forced to disk.
        }
    }

    private byte[] readBytes() {
        try {
            if (Files.isRegularFile(path) && Files.size(path) > MAX_FILE_BYTES) {
                throw new VaultException("Cannot open the vault " + path + ": the file is far too large to be a vault."
                        + backupHint());
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new VaultException("No vault at " + path + ". Create one with `authenticator init`.");
        } catch (IOException e) {
            throw new VaultException("Cannot read the vault " + path + ": " + describe(e));
        }
    }

    private String backupHint() {
        return Files.exists(backupPath())
                ? " The previous version is in " + backupPath() + " (open it with --vault " + backupPath() + ")."
                : "";
    }

    private static void requirePassphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new VaultException("The passphrase must not be empty.");
        }
    }

    private Lock lock() {
        Path lockPath = path.resolveSibling(path.getFileName() + ".lock");
        ReentrantLock local = IN_PROCESS_LOCKS.computeIfAbsent(lockPath, p -> new ReentrantLock());
        if (local.isHeldByCurrentThread()) {
            throw new IllegalStateException("the vault lock is not reentrant");
        }
        local.lock();
        FileChannel channel = null;
        try {
            channel = openLockFile(lockPath);
            FileLock fileLock = channel.lock();
            FileChannel held = channel;
            return () -> {
                try {
                    fileLock.release();
                    held.close();
                } catch (IOException e) {
                    // Closing the channel releases the lock in any case.
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException e) {
            closeQuietly(channel);
            local.unlock();
            throw new VaultException("Cannot lock the vault " + path + " (" + lockPath + "): " + describe(e));
        }
    }

    private static FileChannel openLockFile(Path lockPath) throws IOException {
        try {
            return FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    ownerOnly());
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(lockPath, StandardOpenOption.WRITE);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    private static void createDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            if (supportsPosix(directory)) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
    }

    private static boolean supportsPosix(Path anyPath) {
        return anyPath.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] ownerOnly() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    private interface Lock extends AutoCloseable {
        @Override
        void close();
    }
}
