/**
 * Rotating the key that encrypts TOTP secrets without downtime: the running service's re-encryption job and key ring
 * reloads, and the {@code rotate-secret-key} / {@code retire-secret-key} commands.
 */
package org.countersign.push.rotation;
