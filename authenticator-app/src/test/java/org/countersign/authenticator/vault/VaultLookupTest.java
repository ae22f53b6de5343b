package org.countersign.authenticator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.countersign.protocol.OtpAuthUri;
import org.junit.jupiter.api.Test;

class VaultLookupTest {
    private final TotpAccount githubAlice = account("a1111111aaaa", "GitHub", "alice");
    private final TotpAccount githubBob = account("b2222222bbbb", "GitHub", "bob");
    private final TotpAccount gitlabBobby = account("c3333333cccc", "GitLab", "bobby");
    private final Vault vault = new Vault(List.of(githubAlice, githubBob, gitlabBobby), KdfParameters.forTestsOnly());

    private static TotpAccount account(String id, String issuer, String name) {
        return TotpAccount.fromUri(id, OtpAuthUri.parse("otpauth://totp/" + issuer + ":" + name
                + "?secret=JBSWY3DPEHPK3PXP&issuer=" + issuer));
    }

    @Test
    void aUniqueCaseInsensitivePartOfTheNameFindsTheAccount() {
        assertThat(vault.find("ALICE")).isSameAs(githubAlice);
        assertThat(vault.find("lab")).isSameAs(gitlabBobby);
    }

    @Test
    void anExactNameWinsOverLongerNamesContainingIt() {
        assertThat(vault.find("github:BOB")).isSameAs(githubBob);
    }

    @Test
    void theIdOrShortIdFindsTheAccount() {
        assertThat(vault.find("b2222222bbbb")).isSameAs(githubBob);
        assertThat(vault.find("c3333333")).isSameAs(gitlabBobby);
    }

    @Test
    void anAmbiguousPartListsTheCandidates() {
        assertThatThrownBy(() -> vault.find("bob"))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("matches 2 accounts")
                .hasMessageContaining("GitHub:bob")
                .hasMessageContaining("GitLab:bobby");
    }

    @Test
    void aNameThatMatchesNothingSaysSo() {
        assertThatThrownBy(() -> vault.find("dropbox"))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("No account matches 'dropbox'");
    }
}
