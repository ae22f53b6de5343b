package org.countersign.authenticator.vault;

/**
 * A vault that cannot be read, written or searched as asked. The message is a complete sentence meant for the person
 * at the keyboard (for example "wrong passphrase or damaged vault file"), never a stack trace.
 */
public class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
