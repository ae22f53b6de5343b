package org.countersign.authenticator.otp;

/**
 * A TOTP code and how long it stays current.
 *
 * @param code             the zero-padded digits
 * @param secondsRemaining whole seconds until the next period starts, 1..periodSeconds
 * @param periodSeconds    the length of a period
 */
public record TotpCode(String code, int secondsRemaining, int periodSeconds) {
}
