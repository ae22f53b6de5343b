package org.countersign.authenticator.vault;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The decrypted contents of a vault: an ordered list of accounts. Changes are made in memory and written with
 * {@link VaultFile#update}.
 */
public final class Vault {
    private final List<Account> accounts;
    private final KdfParameters kdf;
    private final int backupCount;
    private final Map<String, ClockCheck> clockChecks;
    private final int formatVersion;

    /** An in-memory vault of the current format with the default number of backups and no clock checks. */
    Vault(List<? extends Account> accounts, KdfParameters kdf) {
        this(List.copyOf(accounts), kdf, Backups.DEFAULT_COUNT, Map.of(), VaultHeader.FORMAT_VERSION);
    }

    Vault(List<Account> accounts, KdfParameters kdf, int backupCount, Map<String, ClockCheck> clockChecks,
          int formatVersion) {
        this.accounts = new ArrayList<>(accounts);
        this.kdf = Objects.requireNonNull(kdf, "kdf");
        this.backupCount = Backups.check(backupCount);
        this.clockChecks = new LinkedHashMap<>(clockChecks);
        this.formatVersion = formatVersion;
    }

    /**
     * The Argon2id parameters this vault was read with; saves keep them, raised to the current defaults when lower.
     */
    public KdfParameters kdf() {
        return kdf;
    }

    /** How many rotating backups saves of this vault keep. */
    public int backupCount() {
        return backupCount;
    }

    /** The file format version this vault was read from; every save writes the current one. */
    public int formatVersion() {
        return formatVersion;
    }

    /** The last clock measurement of each source, by source. */
    public Map<String, ClockCheck> clockChecks() {
        return Collections.unmodifiableMap(clockChecks);
    }

    /** Keeps {@code check} as the last measurement of its source, replacing an earlier one. */
    public void recordClockCheck(ClockCheck check) {
        clockChecks.put(check.source(), Objects.requireNonNull(check, "check"));
    }

    /**
     * The clock measurement that best describes the local clock for {@code account}: the one of its own service for
     * a push account, else the most recent of all.
     */
    public Optional<ClockCheck> clockCheckFor(Account account) {
        if (account instanceof PushAccount push) {
            ClockCheck own = clockChecks.get(origin(push.serviceUrl()));
            if (own != null) {
                return Optional.of(own);
            }
        }
        return clockChecks.values().stream().max(Comparator.comparing(ClockCheck::measuredAt));
    }

    /** {@code scheme://host[:port]} of a URL: the key of its clock measurements. */
    public static String origin(java.net.URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    /** The accounts in the order they were added. */
    public List<Account> accounts() {
        return Collections.unmodifiableList(accounts);
    }

    /** Zeroes the OTP seeds of every account (see {@link Account#wipeSecrets()}); the vault is unusable afterwards. */
    public void wipeSecrets() {
        accounts.forEach(Account::wipeSecrets);
    }

    /** The push accounts in the order they were added. */
    public List<PushAccount> pushAccounts() {
        return accounts.stream().filter(PushAccount.class::isInstance).map(PushAccount.class::cast)
                .collect(Collectors.toList());
    }

    public void add(Account account) {
        Objects.requireNonNull(account, "account");
        if (accounts.stream().anyMatch(a -> a.id().equals(account.id()))) {
            throw new IllegalArgumentException("duplicate account id " + account.id());
        }
        accounts.add(account);
    }

    /** Replaces the account with the same id. */
    public void replace(Account account) {
        for (int i = 0; i < accounts.size(); i++) {
            if (accounts.get(i).id().equals(account.id())) {
                accounts.set(i, account);
                return;
            }
        }
        throw new VaultException("The account " + account.displayName() + " is no longer in the vault.");
    }

    /** Removes the account with this id, returning whether it was there. */
    public boolean remove(String id) {
        return accounts.removeIf(a -> a.id().equals(id));
    }

    /**
     * Advances an HOTP account's counter in memory and returns the account as it was, whose counter is the one to
     * use for the code to show. Save the vault before showing that code.
     */
    public HotpAccount advanceHotp(String id) {
        Account account = byId(id);
        if (!(account instanceof HotpAccount hotp)) {
            throw new VaultException(account.displayName() + " is not an HOTP account.");
        }
        replace(hotp.withCounter(hotp.counter() + 1));
        return hotp;
    }

    private Account byId(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new VaultException("No account with id " + id + " in the vault."));
    }

    /**
     * Finds one account by what a person typed: its id or short id, its exact display name (case-insensitive), or a
     * case-insensitive part of its display name that only one account has.
     *
     * @throws VaultException saying that nothing matched, or listing the accounts that did
     */
    public Account find(String query) {
        String wanted = query == null ? "" : query.strip();
        if (wanted.isEmpty()) {
            throw new VaultException("Name an account (see `authenticator list`).");
        }
        for (Account account : accounts) {
            if (account.id().equals(wanted)) {
                return account;
            }
        }
        List<Account> exact = matching(a -> a.displayName().equalsIgnoreCase(wanted) || a.shortId().equals(wanted));
        if (exact.size() == 1) {
            return exact.get(0);
        }
        String lower = wanted.toLowerCase(Locale.ROOT);
        List<Account> partial = exact.isEmpty()
                ? matching(a -> a.displayName().toLowerCase(Locale.ROOT).contains(lower))
                : exact;
        if (partial.size() == 1) {
            return partial.get(0);
        }
        if (partial.isEmpty()) {
            throw new VaultException("No account matches '" + wanted + "' (see `authenticator list`).");
        }
        throw new VaultException("'" + wanted + "' matches " + partial.size() + " accounts: "
                + partial.stream().map(a -> a.displayName() + " (id " + a.shortId() + ")")
                .collect(Collectors.joining(", "))
                + ". Type more of the name, or the id.");
    }

    private List<Account> matching(java.util.function.Predicate<Account> test) {
        return accounts.stream().filter(test).collect(Collectors.toList());
    }
}
