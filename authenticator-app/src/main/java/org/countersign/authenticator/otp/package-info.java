/**
 * One-time codes for the vault's accounts, with the time left in the current period. The maths is shared-protocol's
 * {@code Hotp} and {@code Totp}; this package only decides which counter or instant to use.
 */
package org.countersign.authenticator.otp;
