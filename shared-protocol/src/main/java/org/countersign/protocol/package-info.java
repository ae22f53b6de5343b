/**
 * The Countersign wire protocol: enrollment and {@code otpauth://} URIs, channel messages and their JSON, the exact
 * bytes every device signature covers, Ed25519 device keys and the RFC 4226/6238 OTP maths.
 * It owns formats and validation only and knows no HTTP server, database or user interface.
 */
package org.countersign.protocol;
