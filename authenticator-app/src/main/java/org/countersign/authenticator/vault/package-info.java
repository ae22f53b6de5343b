/**
 * The encrypted vault: one Argon2id + AES-256-GCM file per person holding the TOTP, HOTP and push accounts,
 * saved atomically with a backup. Knows nothing of the network, QR codes or the command line.
 */
package org.countersign.authenticator.vault;
