package org.countersign.authenticator.cli;

import java.io.Console;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.countersign.authenticator.push.PushHttp;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.VaultFile;

/**
 * Everything the CLI takes from the outside world, so that tests (and the end-to-end suite) can run it in-process:
 * environment variables, stdin, the passphrase prompt, clock, randomness, Argon2id cost for new vaults and HTTP
 * clients. stdout and stderr are picocli's {@code CommandLine.setOut/setErr}.
 */
public final class CliEnvironment {
    /** Reads a passphrase without echo; returns null at end of input. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] readPassword(String prompt);
    }

    private final Function<String, String> variables;
    private final InputStream stdin;
    private final PasswordPrompt prompt;
    private final Clock clock;
    private final SecureRandom random;
    private final KdfParameters kdfForNewVaults;
    private final Function<Optional<String>, HttpClient> httpClients;
    private final VaultFile.FileWriting fileWriting;
    private final Path home;

    private CliEnvironment(Builder builder) {
        this.variables = builder.variables;
        this.stdin = builder.stdin;
        this.prompt = builder.prompt;
        this.clock = builder.clock;
        this.random = builder.random;
        this.kdfForNewVaults = builder.kdfForNewVaults;
        this.httpClients = builder.httpClients;
        this.fileWriting = builder.fileWriting;
        this.home = builder.home;
    }

    /** The real process: System.getenv, System.in, System.console(), the system clock. */
    public static CliEnvironment system() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    String variable(String name) {
        return variables.apply(name);
    }

    InputStream stdin() {
        return stdin;
    }

    /** The no-echo prompt, or null when there is no terminal. */
    PasswordPrompt prompt() {
        return prompt;
    }

    Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    KdfParameters kdfForNewVaults() {
        return kdfForNewVaults;
    }

    HttpClient httpClient(Optional<String> tlsPin) {
        return httpClients.apply(tlsPin);
    }

    VaultFile.FileWriting fileWriting() {
        return fileWriting;
    }

    Path home() {
        return home;
    }

    /** Starts from the real process; override what a test controls. */
    public static final class Builder {
        private Function<String, String> variables = System::getenv;
        private InputStream stdin = System.in;
        private PasswordPrompt prompt = systemPrompt();
        private Clock clock = Clock.systemDefaultZone();
        private SecureRandom random = new SecureRandom();
        private KdfParameters kdfForNewVaults = KdfParameters.DEFAULTS;
        private Function<Optional<String>, HttpClient> httpClients = PushHttp::newClient;
        private VaultFile.FileWriting fileWriting = VaultFile.FileWriting.DIRECT;
        private Path home = Path.of(System.getProperty("user.home"));

        private Builder() {
        }

        /** Environment variables (for example {@code AUTHENTICATOR_PASSPHRASE}) from a map instead of the process. */
        public Builder environment(Map<String, String> environment) {
            Map<String, String> copy = Map.copyOf(environment);
            this.variables = copy::get;
            return this;
        }

        public Builder stdin(InputStream stdin) {
            this.stdin = Objects.requireNonNull(stdin);
            return this;
        }

        /** The passphrase prompt; null means "no terminal". */
        public Builder prompt(PasswordPrompt prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** Argon2id cost for vaults created by {@code init}; tests use {@link KdfParameters#forTestsOnly()}. */
        public Builder kdfForNewVaults(KdfParameters kdf) {
            this.kdfForNewVaults = Objects.requireNonNull(kdf);
            return this;
        }

        /** How HTTP clients are made for a service (argument: its TLS pin). */
        public Builder httpClients(Function<Optional<String>, HttpClient> httpClients) {
            this.httpClients = Objects.requireNonNull(httpClients);
            return this;
        }

        public Builder fileWriting(VaultFile.FileWriting fileWriting) {
            this.fileWriting = Objects.requireNonNull(fileWriting);
            return this;
        }

        /** The home directory, for the default vault path. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home);
            return this;
        }

        public CliEnvironment build() {
            return new CliEnvironment(this);
        }

        private static PasswordPrompt systemPrompt() {
            Console console = System.console();
            return console == null ? null : text -> console.readPassword("%s", text);
        }
    }
}
