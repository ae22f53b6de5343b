package org.countersign.push.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatabaseSettingsTest {

    @Nested
    class ParsingAUrl {

        @Test
        void readsEveryPartOfAFullUrl() {
            DatabaseSettings settings = DatabaseSettings.fromUrl("postgresql://app:secret@db.example.org:6543/mfa");

            assertThat(settings.user()).isEqualTo("app");
            assertThat(settings.password()).isEqualTo("secret");
            assertThat(settings.host()).isEqualTo("db.example.org");
            assertThat(settings.port()).isEqualTo(6543);
            assertThat(settings.database()).isEqualTo("mfa");
            assertThat(settings.sslMode()).isEqualTo(SslMode.DISABLE);
        }

        @Test
        void acceptsThePostgresSchemeAndDefaultsThePortTo5432() {
            DatabaseSettings settings = DatabaseSettings.fromUrl("postgres://app:secret@localhost/mfa");

            assertThat(settings.port()).isEqualTo(5432);
            assertThat(settings.host()).isEqualTo("localhost");
        }

        @Test
        void percentDecodesUserAndPassword() {
            DatabaseSettings settings =
                    DatabaseSettings.fromUrl("postgresql://app%40corp:p%40ss%3Aw%2Frd%20%C3%A9@db:5432/mfa");

            assertThat(settings.user()).isEqualTo("app@corp");
            assertThat(settings.password()).isEqualTo("p@ss:w/rd é");
        }

        @Test
        void allowsAUrlWithoutPassword() {
            assertThat(DatabaseSettings.fromUrl("postgresql://app@db/mfa").password()).isEmpty();
        }

        @Test
        void keepsSslmodeAndIgnoresOtherParameters() {
            DatabaseSettings settings =
                    DatabaseSettings.fromUrl("postgresql://app:pw@db/mfa?application_name=x&sslmode=require");

            assertThat(settings.sslMode()).isEqualTo(SslMode.REQUIRE);
            assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/mfa?sslmode=require");
            assertThat(settings.connectOptions().getSslOptions().isTrustAll()).isTrue();
        }

        @Test
        void readsAnIpv6HostInBrackets() {
            DatabaseSettings settings = DatabaseSettings.fromUrl("postgresql://app:pw@[::1]:5433/mfa");

            assertThat(settings.host()).isEqualTo("::1");
            assertThat(settings.port()).isEqualTo(5433);
            assertThat(settings.jdbcUrl()).startsWith("jdbc:postgresql://[::1]:5433/mfa");
        }

        @ParameterizedTest(name = "{0} is refused because it {1}")
        @CsvSource(delimiter = '|', value = {
            "''                                          | is empty",
            "mysql://app:hunter2@db/mfa                  | must start with postgresql://",
            "jdbc:postgresql://db/mfa?password=hunter2   | is a JDBC URL",
            "postgresql://app:hunter2@db                 | names no database",
            "postgresql://app:hunter2@db/                | names no database",
            "postgresql://db:5432/mfa                    | names no user",
            "postgresql://:hunter2@db/mfa                | names no user",
            "postgresql://app:hunter2@/mfa               | names no host",
            "postgresql://app:hunter2@db:abc/mfa         | has port 'abc'",
            "postgresql://app:hunter2@db:70000/mfa       | has port '70000'",
            "postgresql://app:hunter2@db:0/mfa           | has port '0'",
            "postgresql://app:hunter2@[::1/mfa           | closing ']'",
            "postgresql://app:hunter2%zz@db/mfa          | malformed percent escape in the password",
            "postgresql://app:hunter2@db/mfa?sslmode=yes | has sslmode 'yes'",
        })
        void refusesABadUrlSayingWhatIsWrongWithoutRepeatingThePassword(String url, String problem) {
            assertThatThrownBy(() -> DatabaseSettings.fromUrl(url))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(problem)
                    .hasMessageNotContaining("hunter2");
        }
    }

    @Nested
    class Presenting {

        private final DatabaseSettings settings = new DatabaseSettings("127.0.0.1", 5555, "countersign", "cs", "s3cret");

        @Test
        void toStringHidesThePassword() {
            assertThat(settings.toString()).doesNotContain("s3cret").contains("cs@127.0.0.1:5555/countersign", "***");
        }

        @Test
        void jdbcUrlCarriesNoCredentials() {
            assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5555/countersign?sslmode=disable");
        }

        @Test
        void connectOptionsCarryEveryValue() {
            PgConnectOptions options = settings.connectOptions();

            assertThat(options.getHost()).isEqualTo("127.0.0.1");
            assertThat(options.getPort()).isEqualTo(5555);
            assertThat(options.getDatabase()).isEqualTo("countersign");
            assertThat(options.getUser()).isEqualTo("cs");
            assertThat(options.getPassword()).isEqualTo("s3cret");
            assertThat(options.getSslMode()).isEqualTo(SslMode.DISABLE);
        }

        @Test
        void withDatabaseKeepsServerAndCredentials() {
            DatabaseSettings other = settings.withDatabase("other");

            assertThat(other.database()).isEqualTo("other");
            assertThat(other.port()).isEqualTo(5555);
            assertThat(other.password()).isEqualTo("s3cret");
        }
    }

    @Test
    void refusesAPortOutOfRange() {
        assertThatThrownBy(() -> new DatabaseSettings("h", 65536, "d", "u", "p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
    }
}
