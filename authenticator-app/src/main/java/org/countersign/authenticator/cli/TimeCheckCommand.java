package org.countersign.authenticator.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.countersign.authenticator.clock.ClockProbe;
import org.countersign.authenticator.clock.ClockProbeException;
import org.countersign.authenticator.clock.SkewVerdict;
import org.countersign.authenticator.vault.ClockCheck;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.Vault;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "time-check", description = {"Compare the local clock with each push service's and with any URL given.",
    "Reads their HTTP Date headers (a push service's from GET <service>/health). Warns past 15 s, exit code 1",
    "past 30 s (codes fail).",
    "The results are kept in the vault, so `code` warns later too."})
final class TimeCheckCommand extends CliCommand {
    @Parameters(arity = "0..*", paramLabel = "URL", description = "More servers to compare with (https://...).")
    List<URI> urls = new ArrayList<>();

    @Override
    int run() {
        boolean haveVault = cli.vaultFile().exists();
        Map<URI, Optional<String>> targets = new LinkedHashMap<>();
        List<PushAccount> pushAccounts = haveVault
                ? withPassphrase(passphrase -> cli.vaultFile().read(passphrase).pushAccounts()) : List.of();
        for (PushAccount account : pushAccounts) {
            targets.putIfAbsent(account.serviceUrl().resolve("/health"), account.tlsPin());
        }
        for (URI url : urls) {
            if (!"https".equalsIgnoreCase(url.getScheme()) && !"http".equalsIgnoreCase(url.getScheme())) {
                throw new CliException("Not an http(s) URL: " + url);
            }
            targets.putIfAbsent(url, Optional.empty());
        }
        if (targets.isEmpty()) {
            throw new CliException("Nothing to compare with: the vault has no push accounts. Give a URL, for example"
                    + " `authenticator time-check https://example.com`.");
        }
        ClockProbe probe = new ClockProbe(url -> client(targets.get(url)), cli.environment().clock());
        List<ClockCheck> checks = new ArrayList<>();
        SkewVerdict worst = SkewVerdict.OK;
        boolean failures = false;
        for (URI url : targets.keySet()) {
            try {
                ClockCheck check = probe.measure(url);
                checks.add(check);
                SkewVerdict verdict = SkewVerdict.of(check.skew());
                worst = verdict.compareTo(worst) > 0 ? verdict : worst;
                out().println(label(verdict) + "the local clock is " + SkewVerdict.describe(check.skew()) + " "
                        + check.source() + ".");
            } catch (ClockProbeException e) {
                err().println("error: " + e.getMessage());
                failures = true;
            }
        }
        if (haveVault && !checks.isEmpty()) {
            withPassphrase(passphrase -> cli.vaultFile().update(passphrase, (Vault vault) -> {
                checks.forEach(vault::recordClockCheck);
                return null;
            }));
        }
        if (worst != SkewVerdict.OK) {
            err().println((worst == SkewVerdict.ERROR ? "error" : "warning") + ": one-time codes depend on the clock;"
                    + " turn on automatic time (NTP) on this computer.");
        }
        return worst == SkewVerdict.ERROR || failures ? 1 : 0;
    }

    private HttpClient client(Optional<String> tlsPin) {
        return cli.environment().httpClient(tlsPin == null ? Optional.empty() : tlsPin);
    }

    private static String label(SkewVerdict verdict) {
        return switch (verdict) {
            case OK -> "ok: ";
            case WARNING -> "warning: ";
            case ERROR -> "error: ";
        };
    }
}
