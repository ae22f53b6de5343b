/**
 * The local clock against the services' clocks: measures the skew from the HTTP {@code Date} header and judges
 * whether it would break one-time codes. Knows nothing of the vault file or the command line.
 */
package org.countersign.authenticator.clock;
