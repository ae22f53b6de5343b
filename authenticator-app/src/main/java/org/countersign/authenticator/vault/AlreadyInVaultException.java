package org.countersign.authenticator.vault;

/** An account that is already in the vault (same type, name and secret) was added again; nothing was saved. */
public final class AlreadyInVaultException extends VaultException {
    private static final long serialVersionUID = 1L;

    AlreadyInVaultException(Account existing) {
        super(existing.displayName() + " is already in the vault.");
    }
}
