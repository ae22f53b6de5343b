package org.countersign.push.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @TempDir
    Path temp;

    @Test
    void aBinDirectoryWithoutTheProgramsGivesAnErrorThatSaysHowToInstallThem() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));

        assertThatThrownBy(() -> PostgresBinaries.locate(Map.of(PostgresBinaries.BIN_ENV, empty.toString())))
                .isInstanceOf(PostgresNotFoundException.class)
                .hasMessageContaining("COUNTERSIGN_PG_BIN is set to " + empty)
                .hasMessageContaining("initdb, pg_ctl, postgres are not there")
                .hasMessageContaining("apt-get install -y postgresql")
                .hasMessageContaining("--database-url");
    }

    @Test
    void theConfiguredDirectoryWinsWhenItHoldsThePrograms() throws IOException {
        Path bin = fakeBinDir(temp.resolve("custom"));

        assertThat(PostgresBinaries.locate(Map.of(PostgresBinaries.BIN_ENV, bin.toString())).directory())
                .isEqualTo(bin);
    }

    @Test
    void theHighestCompleteVersionIsChosen() throws IOException {
        Path versions = temp.resolve("versions");
        fakeBinDir(versions.resolve("9.6/bin"));
        fakeBinDir(versions.resolve("15/bin"));
        Path incomplete = fakeBinDir(versions.resolve("17/bin"));
        Files.delete(incomplete.resolve("postgres"));
        Files.createDirectories(versions.resolve("common/bin"));

        PostgresBinaries found = PostgresBinaries.locate(Map.of(), versions);

        assertThat(found.directory()).isEqualTo(versions.resolve("15/bin"));
        assertThat(found.pgCtl()).isEqualTo(versions.resolve("15/bin/pg_ctl"));
    }

    @Test
    void thePathIsSearchedWhenNoVersionDirectoryExists() throws IOException {
        Path bin = fakeBinDir(temp.resolve("usr/local/bin"));
        String path = temp.resolve("nothing-here") + ":" + bin;

        PostgresBinaries found = PostgresBinaries.locate(Map.of("PATH", path), temp.resolve("no-versions"));

        assertThat(found.directory()).isEqualTo(bin);
    }

    @Test
    void findingNothingAnywhereNamesThePlacesLookedAt() {
        assertThatThrownBy(() -> PostgresBinaries.locate(Map.of("PATH", temp.toString()), temp.resolve("none")))
                .isInstanceOf(PostgresNotFoundException.class)
                .hasMessageContaining(temp.resolve("none") + "/<version>/bin")
                .hasMessageContaining("PATH")
                .hasMessageContaining("apt-get install -y postgresql");
    }

    private static Path fakeBinDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
            Path file = Files.createFile(dir.resolve(program));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }
}
