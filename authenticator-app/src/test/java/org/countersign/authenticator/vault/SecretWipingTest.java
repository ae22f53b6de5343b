package org.countersign.authenticator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What "wiped" means for the accounts of a vault read into memory (VAULT-FORMAT.md, "Secrets in memory"). */
class SecretWipingTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();

    @TempDir
    Path directory;
    private final SecureRandom random = new SecureRandom();

    private Vault vaultWithEveryKindOfAccount() {
        VaultFile file = new VaultFile(directory.resolve("vault.cs"), KdfParameters.forTestsOnly(), random,
                VaultFile.FileWriting.DIRECT);
        file.create(PASSPHRASE);
        file.update(PASSPHRASE, vault -> {
            vault.add(new TotpAccount("t", "GitHub", "alice", OtpSecret.random(random, 20), Totp.DEFAULT));
            vault.add(new HotpAccount("h", "Bank", "bob", OtpSecret.random(random, 20), HmacAlgorithm.SHA1, 6, 5));
            vault.add(new PushAccount("p", "Contoso", "carol", "dev-1", URI.create("https://mfa.example"),
                    URI.create("wss://mfa.example/api/v1/devices/dev-1/channel"), DeviceSigner.generate(random),
                    OtpSecret.random(random, 20), Totp.DEFAULT, Optional.empty(), Instant.now()));
            return null;
        });
        return file.read(PASSPHRASE);
    }

    private static List<OtpSecret> seeds(Vault vault) {
        return vault.accounts().stream().map(account -> account instanceof TotpAccount totp ? totp.secret()
                : account instanceof HotpAccount hotp ? hotp.secret() : ((PushAccount) account).totpSecret()).toList();
    }

    @Test
    void wipingAVaultZeroesTheSeedOfEveryAccount() {
        Vault vault = vaultWithEveryKindOfAccount();

        vault.wipeSecrets();

        assertThat(seeds(vault)).hasSize(3).allMatch(OtpSecret::isWiped);
        assertThatThrownBy(() -> seeds(vault).get(0).base32()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWipedPushAccountCanStillSignItsAnswers() {
        Vault vault = vaultWithEveryKindOfAccount();
        PushAccount push = vault.pushAccounts().get(0);

        vault.wipeSecrets();

        byte[] payload = "countersign-approval-v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(push.signer().publicKey().verify(payload, push.signer().sign(payload))).isTrue();
    }
}
