package org.countersign.authenticator.imports;

import java.util.List;
import org.countersign.authenticator.vault.Account;

/**
 * What an importer read: the accounts it could carry over (not yet in any vault) and one sentence for each thing it
 * could not (an unsupported account type, icons, groups, a missing batch...). Accounts keep their secrets in their
 * own redacting types, so this record prints nothing secret.
 *
 * @param accounts       the accounts, in the order of the source
 * @param notCarriedOver sentences for the person, never holding a secret
 */
public record ImportedAccounts(List<Account> accounts, List<String> notCarriedOver) {
    public ImportedAccounts {
        accounts = List.copyOf(accounts);
        notCarriedOver = List.copyOf(notCarriedOver);
    }
}
