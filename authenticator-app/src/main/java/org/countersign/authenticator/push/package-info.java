/**
 * Talks to a Countersign push service with java.net.http: activating an enrollment, answering approvals over HTTP,
 * and holding a device's WebSocket push channel. Knows the vault's account types but not the command line.
 */
package org.countersign.authenticator.push;
