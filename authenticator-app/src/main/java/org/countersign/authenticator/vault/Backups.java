package org.countersign.authenticator.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The rotating backups of one vault file: {@code <file>.bak.1} (the newest) to {@code <file>.bak.N}. Every step of a
 * rotation is a rename or an atomic copy, so a crash in the middle loses at most the oldest backup, never the vault.
 */
final class Backups {
    /** How many backups a vault keeps unless told otherwise. */
    static final int DEFAULT_COUNT = 3;
    /** The most backups a vault may ask for; also bounds what a damaged header can make a save do. */
    static final int MAX_COUNT = 20;

    private final Path vault;

    Backups(Path vault) {
        this.vault = vault;
    }

    /** @throws IllegalArgumentException unless 0..{@value #MAX_COUNT} */
    static int check(int count) {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the number of backups must be 0.." + MAX_COUNT + ", was " + count);
        }
        return count;
    }

    /** {@code <file>.bak.<generation>}; generation 1 is the newest. */
    Path path(int generation) {
        if (generation < 1 || generation > MAX_COUNT) {
            throw new IllegalArgumentException("backup generation must be 1.." + MAX_COUNT);
        }
        return vault.resolveSibling(vault.getFileName() + ".bak." + generation);
    }

    /** The single {@code <file>.bak} that format 1 kept; left in place, never rotated. */
    Path legacy() {
        return vault.resolveSibling(vault.getFileName() + ".bak");
    }

    /** The backups that exist, newest first, the format 1 {@code .bak} last. */
    List<Path> existing() {
        List<Path> found = new ArrayList<>();
        for (int generation = 1; generation <= MAX_COUNT; generation++) {
            if (Files.isRegularFile(path(generation))) {
                found.add(path(generation));
            }
        }
        if (Files.isRegularFile(legacy())) {
            found.add(legacy());
        }
        return found;
    }

    /**
     * Shifts every backup one generation older, drops those beyond {@code keep}, and copies the current vault to
     * generation 1 (through a forced temporary file and an atomic rename). With {@code keep} 0 no backup is kept.
     */
    void rotate(int keep) throws IOException {
        for (int generation = MAX_COUNT; generation > Math.max(keep, 0); generation--) {
            Files.deleteIfExists(path(generation));
        }
        if (keep == 0) {
            return;
        }
        for (int generation = keep - 1; generation >= 1; generation--) {
            if (Files.exists(path(generation))) {
                Files.move(path(generation), path(generation + 1), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        AtomicFiles.copy(vault, path(1));
    }
}
