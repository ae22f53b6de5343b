package org.countersign.authenticator.gui;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.countersign.authenticator.otp.CodeGenerator;
import org.countersign.authenticator.otp.TotpCode;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;

/** Turns the vault's accounts into the rows of the account list: current codes, countdowns and the search filter. */
public final class AccountRows {
    private final CodeGenerator codes;

    public AccountRows(CodeGenerator codes) {
        this.codes = Objects.requireNonNull(codes, "codes");
    }

    /**
     * The rows to show now.
     *
     * @param filter       what was typed in the search field: every word must appear in the issuer or the name
     *                     (case-insensitive); blank shows everything
     * @param revealedHotp HOTP codes already generated, by account id (an HOTP code is only made on request)
     */
    public List<AccountRow> rows(List<Account> accounts, String filter, Map<String, String> revealedHotp) {
        List<String> words = words(filter);
        List<AccountRow> rows = new ArrayList<>();
        for (Account account : accounts) {
            if (matches(account, words)) {
                rows.add(row(account, revealedHotp.getOrDefault(account.id(), "")));
            }
        }
        return rows;
    }

    private AccountRow row(Account account, String revealed) {
        if (account instanceof TotpAccount totp) {
            return totpRow(account, AccountRow.Kind.TOTP, codes.current(totp));
        }
        if (account instanceof PushAccount push) {
            return totpRow(account, AccountRow.Kind.PUSH, codes.current(push));
        }
        HotpAccount hotp = (HotpAccount) account;
        return new AccountRow(hotp.id(), AccountRow.Kind.HOTP, hotp.issuer(), hotp.accountName(), revealed, 0, 0);
    }

    private static AccountRow totpRow(Account account, AccountRow.Kind kind, TotpCode code) {
        return new AccountRow(account.id(), kind, account.issuer(), account.accountName(), code.code(),
                code.secondsRemaining(), code.periodSeconds());
    }

    private static List<String> words(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return Arrays.asList(filter.strip().toLowerCase(Locale.ROOT).split("\\s+"));
    }

    private static boolean matches(Account account, List<String> words) {
        String haystack = (account.issuer() + " " + account.accountName()).toLowerCase(Locale.ROOT);
        return words.stream().allMatch(haystack::contains);
    }
}
