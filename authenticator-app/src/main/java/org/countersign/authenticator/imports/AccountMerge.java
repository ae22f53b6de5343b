package org.countersign.authenticator.imports;

import java.util.ArrayList;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.Vault;

/** Adds imported accounts to a vault, leaving out those it already holds. */
public final class AccountMerge {
    private AccountMerge() {
    }

    /**
     * What a merge did.
     *
     * @param added          the accounts now in the vault
     * @param alreadyPresent the display names of the accounts left out because the vault had them
     */
    public record Result(List<Account> added, List<String> alreadyPresent) {
        public Result {
            added = List.copyOf(added);
            alreadyPresent = List.copyOf(alreadyPresent);
        }
    }

    /**
     * Adds each account unless the vault (or an earlier account of the same import) has the same id, the same
     * push device, or the same type, name and secret.
     */
    public static Result into(Vault vault, List<Account> accounts) {
        List<Account> added = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (Account account : accounts) {
            if (vault.accounts().stream().anyMatch(existing -> same(existing, account))) {
                present.add(account.displayName());
            } else {
                vault.add(account);
                added.add(account);
            }
        }
        return new Result(added, present);
    }

    /** Whether two accounts are the same: same id, same device, or same type, name and secret. */
    public static boolean same(Account a, Account b) {
        if (a.id().equals(b.id())) {
            return true;
        }
        if (a instanceof PushAccount pa && b instanceof PushAccount pb) {
            return pa.deviceId().equals(pb.deviceId()) && pa.serviceUrl().equals(pb.serviceUrl());
        }
        if (!a.displayName().equals(b.displayName())) {
            return false;
        }
        if (a instanceof TotpAccount ta && b instanceof TotpAccount tb) {
            return ta.secret().equals(tb.secret());
        }
        return a instanceof HotpAccount ha && b instanceof HotpAccount hb && ha.secret().equals(hb.secret());
    }
}
