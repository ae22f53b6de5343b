/**
 * Server-side cryptography behind small interfaces: Argon2id password hashing (on a worker pool, never an
 * event loop), AES-256-GCM secret encryption with associated data, and opaque random tokens stored as hashes.
 */
package org.countersign.push.crypto;
