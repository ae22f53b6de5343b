package org.countersign.protocol;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A device's Ed25519 private key, the one thing that can answer for the device. Bouncy Castle's lightweight
 * implementation (the JDK provider is ten times slower). {@link #toString()} is redacted. Thread-safe.
 *
 * <p>Sign only the payloads {@link SignedPayloads} builds.
 */
public final class DeviceSigner {

    /** Raw private key (seed) length in bytes. */
    public static final int PRIVATE_KEY_BYTES = 32;

    private final Ed25519PrivateKeyParameters privateKey;
    private final DevicePublicKey publicKey;

    private DeviceSigner(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = DevicePublicKey.of(privateKey.generatePublicKey().getEncoded());
    }

    /** A new key pair from {@code random}. */
    public static DeviceSigner generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return new DeviceSigner(new Ed25519PrivateKeyParameters(random));
    }

    /**
     * The signer for a stored RFC 8032 private key (the 32-byte seed).
     *
     * @throws IllegalArgumentException when {@code raw32} is not 32 bytes
     */
    public static DeviceSigner fromPrivateKey(byte[] raw32) {
        Objects.requireNonNull(raw32, "raw32");
        if (raw32.length != PRIVATE_KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 private key is 32 bytes, was " + raw32.length);
        }
        return new DeviceSigner(new Ed25519PrivateKeyParameters(raw32, 0));
    }

    /** The 32-byte seed, for the encrypted vault only (a copy; wipe it when stored). */
    public byte[] privateKeyBytes() {
        return privateKey.getEncoded();
    }

    /** The matching public key. */
    public DevicePublicKey publicKey() {
        return publicKey;
    }

    /** The 64-byte Ed25519 signature of {@code payload}. */
    public byte[] sign(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(payload, 0, payload.length);
        return signer.generateSignature();
    }

    /** The signature of {@code payload} as base64url without padding (86 characters). */
    public String signBase64Url(byte[] payload) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sign(payload));
    }

    @Override
    public String toString() {
        return "DeviceSigner[publicKey=" + publicKey.base64Url() + ", privateKey=redacted]";
    }
}
