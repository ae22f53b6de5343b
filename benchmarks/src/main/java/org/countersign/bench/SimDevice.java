package org.countersign.bench;

import java.util.UUID;
import org.countersign.protocol.DeviceSigner;

/** A seeded, verified device whose Ed25519 private key the load generator holds, and the user it belongs to. */
public record SimDevice(UUID deviceId, UUID userId, String username, DeviceSigner signer) {
}
