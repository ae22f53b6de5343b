/**
 * Registration of the Authenticator app (ARCHITECTURE.md §2.1): one-time activation codes, the enrollment QR
 * code, device activation and the test notification that verifies a new device.
 */
package org.countersign.push.enroll;
