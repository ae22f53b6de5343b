package org.countersign.protocol;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A device's Ed25519 public key. Travels as base64url without padding of the raw 32 bytes (43 characters).
 *
 * <p>Only canonical encodings of points on the curve outside the small-order subgroup are accepted, so a key
 * that can verify no signature, or many, cannot exist. Verification never throws for a bad signature: it
 * returns false. Immutable and thread-safe.
 */
public final class DevicePublicKey {

    /** Raw key length in bytes. */
    public static final int KEY_BYTES = 32;
    /** Raw signature length in bytes. */
    public static final int SIGNATURE_BYTES = 64;

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final byte[] raw;
    private final Ed25519PublicKeyParameters parameters;

    private DevicePublicKey(byte[] raw) {
        this.raw = raw;
        this.parameters = new Ed25519PublicKeyParameters(raw, 0);
    }

    /**
     * Parses the base64url (no padding) form.
     *
     * @throws ProtocolException for field {@code publicKey} when missing, not canonical base64url, not 32 bytes or
     *                           not a usable Ed25519 point
     */
    public static DevicePublicKey parse(String base64urlRaw32) {
        if (base64urlRaw32 == null || base64urlRaw32.isEmpty()) {
            throw new ProtocolException("publicKey", "is missing");
        }
        byte[] raw = strictDecode(base64urlRaw32, KEY_BYTES);
        if (raw == null) {
            throw new ProtocolException("publicKey", "must be the base64url (no padding) of 32 bytes");
        }
        return of(raw);
    }

    /**
     * A key from its raw 32 bytes (copied).
     *
     * @throws ProtocolException for field {@code publicKey} when not 32 bytes or not a usable Ed25519 point
     */
    public static DevicePublicKey of(byte[] raw32) {
        Objects.requireNonNull(raw32, "raw32");
        if (raw32.length != KEY_BYTES) {
            throw new ProtocolException("publicKey", "must be 32 bytes");
        }
        if (!Ed25519.validatePublicKeyFull(raw32, 0)) {
            throw new ProtocolException("publicKey", "is not a valid Ed25519 public key");
        }
        return new DevicePublicKey(raw32.clone());
    }

    /**
     * Parses a key that this system checked in full when it first received it (a device key read back from the
     * service's own database): the encoding must still be canonical base64url of a point on the curve, but the
     * small-order check, a variable-time multiplication by the group order that costs many signature
     * verifications, is not repeated on every read. Never use this for a key that arrives from outside.
     *
     * @throws ProtocolException for field {@code publicKey} as {@link #parse(String)}
     */
    public static DevicePublicKey parseStored(String base64urlRaw32) {
        if (base64urlRaw32 == null || base64urlRaw32.isEmpty()) {
            throw new ProtocolException("publicKey", "is missing");
        }
        byte[] raw = strictDecode(base64urlRaw32, KEY_BYTES);
        if (raw == null) {
            throw new ProtocolException("publicKey", "must be the base64url (no padding) of 32 bytes");
        }
        if (!Ed25519.validatePublicKeyPartial(raw, 0)) {
            throw new ProtocolException("publicKey", "is not a valid Ed25519 public key");
        }
        return new DevicePublicKey(raw);
    }

    /** The raw 32 bytes (a copy). */
    public byte[] bytes() {
        return raw.clone();
    }

    /** The wire form: base64url without padding of the raw 32 bytes. */
    public String base64Url() {
        return ENCODER.encodeToString(raw);
    }

    /**
     * Whether {@code signature} is this key's Ed25519 signature (RFC 8032, pure) of {@code payload}.
     * False for a null payload or a signature that is null or not 64 bytes.
     */
    public boolean verify(byte[] payload, byte[] signature) {
        if (payload == null || signature == null || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, parameters);
        verifier.update(payload, 0, payload.length);
        return verifier.verifySignature(signature);
    }

    /**
     * As {@link #verify(byte[], byte[])} with the signature in base64url without padding. False, never an exception,
     * when the text is null, not canonical base64url or not 64 bytes.
     */
    public boolean verify(byte[] payload, String signatureBase64Url) {
        if (signatureBase64Url == null) {
            return false;
        }
        byte[] signature = strictDecode(signatureBase64Url, SIGNATURE_BYTES);
        return signature != null && verify(payload, signature);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DevicePublicKey that && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "DevicePublicKey[" + base64Url() + "]";
    }

    /** Decodes base64url without padding, or null unless the text is the one canonical encoding of that many bytes. */
    static byte[] strictDecode(String text, int expectedBytes) {
        int expectedLength = (expectedBytes * 4 + 2) / 3;
        if (text.length() != expectedLength) {
            return null;
        }
        try {
            byte[] decoded = DECODER.decode(text);
            if (decoded.length != expectedBytes || !ENCODER.encodeToString(decoded).equals(text)) {
                return null;
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
