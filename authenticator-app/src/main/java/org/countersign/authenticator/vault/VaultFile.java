package org.countersign.authenticator.vault;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A vault file on disk (format: VAULT-FORMAT.md). Reads never change the file; {@link #update} reads, changes and
 * saves under a lock file, so two commands running at once cannot lose each other's change. Every save is atomic
 * (temporary file in the same directory, fsync, rename), first rotates the backups ({@code <file>.bak.1} newest ..
 * {@code <file>.bak.N}), writes the current format version and raises Argon2id costs below the current ones.
 *
 * <p>Passphrases are borrowed: this class never keeps or wipes the caller's {@code char[]}; derived keys and
 * plaintexts are wiped after use.
 */
public final class VaultFile {
    /** The largest file accepted as a vault; far more than any person's accounts. */
    static final int MAX_FILE_BYTES = 16 * 1024 * 1024;
    /** How many rotating backups a new vault keeps. */
    public static final int DEFAULT_BACKUPS = Backups.DEFAULT_COUNT;
    /** The most rotating backups a vault may keep. */
    public static final int MAX_BACKUPS = Backups.MAX_COUNT;

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

    /**
     * What {@link #changePassphrase} did to the backups.
     *
     * @param rekeyed the backups now sealed under the new passphrase
     * @param left    the backups that did not open with the old passphrase (older passphrases), left as they were
     */
    public record Rekeyed(List<Path> rekeyed, List<Path> left) {
        public Rekeyed {
            rekeyed = List.copyOf(rekeyed);
            left = List.copyOf(left);
        }
    }

    private final Path path;
    private final KdfParameters currentKdf;
    private final SecureRandom random;
    private final FileWriting writing;
    private final Backups backups;

    /** A vault file with the default Argon2id parameters. */
    public VaultFile(Path path) {
        this(path, KdfParameters.DEFAULTS, new SecureRandom(), FileWriting.DIRECT);
    }

    /**
     * @param currentKdf the Argon2id parameters for new vaults, and the floor every save raises an existing vault's
     *                   parameters to (never lowering them)
     */
    public VaultFile(Path path, KdfParameters currentKdf, SecureRandom random, FileWriting writing) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
        this.currentKdf = Objects.requireNonNull(currentKdf, "currentKdf");
        this.random = Objects.requireNonNull(random, "random");
        this.writing = Objects.requireNonNull(writing, "writing");
        this.backups = new Backups(this.path);
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

    /** Where the newest backup is kept: {@code <file>.bak.1}. */
    public Path backupPath() {
        return backupPath(1);
    }

    /** Where backup {@code generation} (1 = the newest, up to {@link #MAX_BACKUPS}) is kept. */
    public Path backupPath(int generation) {
        return backups.path(generation);
    }

    /** The backups that exist now, newest first (a format 1 {@code <file>.bak} last). */
    public List<Path> backups() {
        return backups.existing();
    }

    public boolean exists() {
        return Files.exists(path);
    }

    /** Creates an empty vault keeping {@link #DEFAULT_BACKUPS} backups. */
    public Vault create(char[] passphrase) {
        return create(passphrase, DEFAULT_BACKUPS, List.of());
    }

    /**
     * Creates a vault holding {@code accounts} (also how an encrypted export is written).
     *
     * @param backupCount how many rotating backups its saves keep, 0..{@link #MAX_BACKUPS}
     * @throws VaultException when a file already exists at the path (it is never overwritten)
     */
    public Vault create(char[] passphrase, int backupCount, List<Account> accounts) {
        requirePassphrase(passphrase);
        Vault vault = new Vault(accounts, currentKdf, Backups.check(backupCount), Map.of(),
                VaultHeader.FORMAT_VERSION);
        try {
            createDirectories(path.getParent());
        } catch (IOException e) {
            throw new VaultException("Cannot create the folder " + path.getParent() + ": " + describe(e));
        }
        try (VaultLock ignored = VaultLock.acquire(path)) {
            if (exists()) {
                throw new VaultException("A file already exists at " + path + "; it was not overwritten.");
            }
            write(vault, passphrase, false);
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
            AccountJson.Contents contents = AccountJson.decode(json);
            VaultHeader header = opened.header();
            return new Vault(contents.accounts(), header.kdf(), header.backupCount(), contents.clockChecks(),
                    header.formatVersion());
        } catch (DecodeException | IllegalArgumentException | ClassCastException | NullPointerException
                 | java.time.DateTimeException e) {
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
        try (VaultLock ignored = VaultLock.acquire(path)) {
            Vault vault = read(passphrase);
            T result = change.apply(vault);
            write(vault, passphrase, true);
            return result;
        }
    }

    /**
     * Re-keys the vault: reads it with {@code oldPassphrase} and saves it under {@code newPassphrase} (with fresh
     * salt and nonce, and raised costs). The backups that open with the old passphrase, including the one this save
     * makes, are re-sealed under the new one in place, so the old passphrase opens nothing afterwards; backups from
     * still older passphrases are left as they are and listed.
     */
    public Rekeyed changePassphrase(char[] oldPassphrase, char[] newPassphrase) {
        requirePassphrase(oldPassphrase);
        requirePassphrase(newPassphrase);
        try (VaultLock ignored = VaultLock.acquire(path)) {
            Vault vault = read(oldPassphrase);
            write(vault, newPassphrase, true);
            List<Path> rekeyed = new ArrayList<>();
            List<Path> left = new ArrayList<>();
            for (Path backup : backups.existing()) {
                VaultFile file = new VaultFile(backup, currentKdf, random, writing);
                Vault old;
                try {
                    old = file.read(oldPassphrase);
                } catch (VaultException e) {
                    left.add(backup);
                    continue;
                }
                file.write(old, newPassphrase, false);
                rekeyed.add(backup);
            }
            return new Rekeyed(rekeyed, left);
        }
    }

    private void write(Vault vault, char[] passphrase, boolean rotate) {
        byte[] plaintext = AccountJson.encode(vault).encode().getBytes(StandardCharsets.UTF_8);
        byte[] file;
        try {
            file = VaultCipher.seal(plaintext, passphrase, vault.kdf().atLeast(currentKdf), vault.backupCount(),
                    random);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
        try {
            writeAtomically(file, rotate ? vault.backupCount() : -1);
        } catch (IOException e) {
            throw new VaultException("Cannot save the vault " + path + ": " + describe(e)
                    + ". The previous version is unchanged.", e);
        }
    }

    /** Writes {@code bytes} over the vault; rotates the backups first unless {@code keepBackups} is negative. */
    private void writeAtomically(byte[] bytes, int keepBackups) throws IOException {
        AtomicFiles.deleteLeftovers(path);
        Path temporary = AtomicFiles.temporaryNextTo(path);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writing.write(channel, bytes);
                channel.force(true);
            }
            if (keepBackups >= 0 && Files.exists(path)) {
                backups.rotate(keepBackups);
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            AtomicFiles.syncDirectory(path.getParent());
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
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

    /** Names the newest backup, the one to try first. */
    private String backupHint() {
        List<Path> existing = backups.existing();
        if (existing.isEmpty()) {
            return " There is no backup of it.";
        }
        Path newest = existing.get(0);
        return " The newest backup is " + newest + " (check it with `authenticator verify-backup " + newest
                + "`, then copy it over the vault" + (existing.size() > 1 ? "; " + (existing.size() - 1)
                + " older backup" + (existing.size() > 2 ? "s are" : " is") + " next to it" : "") + ").";
    }

    private static void requirePassphrase(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new VaultException("The passphrase must not be empty.");
        }
    }

    private static void createDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
