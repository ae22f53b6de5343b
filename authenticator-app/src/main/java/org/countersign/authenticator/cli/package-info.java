/**
 * The {@code authenticator} command line (picocli). Parses arguments, asks for the passphrase and prints; every
 * decision is the core's (vault, otp, scan, push).
 */
package org.countersign.authenticator.cli;
