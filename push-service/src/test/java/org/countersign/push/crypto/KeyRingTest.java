package org.countersign.push.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.countersign.push.commands.RotateSecretKeyCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The key ring behind the SecretBox: key ids in the ciphertext, old boxes still open, rotation keeps CSRF stable. */
class KeyRingTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SECRET = "twenty bytes secret!".getBytes(StandardCharsets.US_ASCII);
    private static final String USER = UUID.randomUUID().toString();
    private static final String DEVICE = UUID.randomUUID().toString();

    @TempDir
    Path dir;

    static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** A box in the version 1 format written before key rings: {@code 0x01 || nonce || AES-GCM}. */
    static byte[] versionOneBox(byte[] key, byte[] plaintext, String... aad) throws Exception {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        ByteBuffer associated = ByteBuffer.allocate(java.util.Arrays.stream(aad).mapToInt(p -> 4 + p.length()).sum());
        for (String part : aad) {
            associated.putInt(part.length()).put(part.getBytes(StandardCharsets.UTF_8));
        }
        cipher.updateAAD(associated.array());
        byte[] sealed = cipher.doFinal(plaintext);
        return ByteBuffer.allocate(13 + sealed.length).put((byte) 1).put(nonce).put(sealed).array();
    }

    @Test
    void aBoxNamesTheKeyThatSealedIt() {
        byte[] a = key();
        SecretBox box = new SecretBox(a, RANDOM);
        byte[] sealed = box.seal(SECRET, USER, DEVICE);
        assertThat(SecretBox.keyIdOf(sealed)).contains(KeyRing.idOf(a));
        assertThat(KeyRing.idOf(a)).matches("[0-9a-f]{8}");
    }

    @Test
    void afterARotationOldBoxesOpenAndNewOnesUseTheNewPrimary() {
        byte[] a = key();
        byte[] b = key();
        SecretBox box = new SecretBox(a, RANDOM);
        byte[] underA = box.seal(SECRET, USER, DEVICE);

        box.replace(new KeyRing(List.of(KeyRing.Key.of(b, KeyRing.Role.PRIMARY), KeyRing.Key.of(a, KeyRing.Role.OLD)),
                a));

        assertThat(box.open(underA, USER, DEVICE)).isEqualTo(SECRET);
        assertThat(box.needsReseal(underA)).isTrue();
        byte[] underB = box.seal(SECRET, USER, DEVICE);
        assertThat(SecretBox.keyIdOf(underB)).contains(KeyRing.idOf(b));
        assertThat(box.needsReseal(underB)).isFalse();
    }

    @Test
    void versionOneBoxesStillOpenWithTheOriginalKeyAndAreMarkedForResealing() throws Exception {
        byte[] original = key();
        byte[] old = versionOneBox(original, SECRET, USER, DEVICE);
        SecretBox box = new SecretBox(new KeyRing(List.of(KeyRing.Key.of(key(), KeyRing.Role.PRIMARY),
                KeyRing.Key.of(original, KeyRing.Role.OLD)), original), RANDOM);

        assertThat(box.open(old, USER, DEVICE)).isEqualTo(SECRET);
        assertThat(box.needsReseal(old)).isTrue();
        assertThatThrownBy(() -> box.open(old, USER, UUID.randomUUID().toString()))
                .isInstanceOf(SecretBox.SecretBoxException.class);
    }

    @Test
    void aBoxUnderAKeyOutsideTheRingNamesTheMissingKey() {
        byte[] lost = key();
        byte[] sealed = new SecretBox(lost, RANDOM).seal(SECRET, USER, DEVICE);
        SecretBox box = new SecretBox(key(), RANDOM);

        assertThatThrownBy(() -> box.open(sealed, USER, DEVICE)).isInstanceOf(SecretBox.MissingKeyException.class)
                .hasMessageContaining(KeyRing.idOf(lost));
    }

    @Test
    void theRowIdsAndTheKeyIdAreAuthenticated() {
        byte[] a = key();
        byte[] b = key();
        SecretBox box = new SecretBox(new KeyRing(List.of(KeyRing.Key.of(a, KeyRing.Role.PRIMARY),
                KeyRing.Key.of(b, KeyRing.Role.OLD)), a), RANDOM);
        byte[] sealed = box.seal(SECRET, USER, DEVICE);

        assertThatThrownBy(() -> box.open(sealed, UUID.randomUUID().toString(), DEVICE))
                .isInstanceOf(SecretBox.SecretBoxException.class);
        assertThatThrownBy(() -> box.open(sealed, USER, UUID.randomUUID().toString()))
                .isInstanceOf(SecretBox.SecretBoxException.class);
        byte[] relabelled = sealed.clone();
        System.arraycopy(KeyRing.idBytes(b), 0, relabelled, 1, 4);
        assertThatThrownBy(() -> box.open(relabelled, USER, DEVICE)).isInstanceOf(SecretBox.SecretBoxException.class);
    }

    @Test
    void aSingleKeyFileFromBeforeKeyRingsReadsAsThePrimaryAndTheCsrfSource() throws Exception {
        byte[] original = key();
        Path file = dir.resolve(KeyRingFile.NAME);
        Files.writeString(file, Base64.getEncoder().encodeToString(original) + "\n");

        KeyRing ring = KeyRingFile.read(file);
        assertThat(ring.primary().id()).isEqualTo(KeyRing.idOf(original));
        assertThat(ring.csrfKey()).isEqualTo(original);
    }

    @Test
    void rotatingKeepsTheCsrfKeyAndTheOldKeyAndWritesAnOwnerOnlyFile() throws Exception {
        byte[] original = key();
        Path file = dir.resolve(KeyRingFile.NAME);
        Files.writeString(file, Base64.getEncoder().encodeToString(original) + "\n");
        CsrfTokens before = new CsrfTokens(KeyRingFile.read(file).csrfKey());

        int exit = new CommandLine(new RotateSecretKeyCommand()).execute("--data-dir", dir.toString());

        assertThat(exit).isZero();
        KeyRing ring = KeyRingFile.read(file);
        assertThat(ring.primary().id()).isNotEqualTo(KeyRing.idOf(original));
        assertThat(ring.find(KeyRing.idOf(original)).orElseThrow().role()).isEqualTo(KeyRing.Role.OLD);
        assertThat(new CsrfTokens(ring.csrfKey()).forSession("session-token"))
                .isEqualTo(before.forSession("session-token"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aStagedKeyOpensButDoesNotSealUntilPromoted() throws Exception {
        Path file = dir.resolve(KeyRingFile.NAME);
        KeyRingFile.write(file, KeyRing.single(key()));
        String first = KeyRingFile.read(file).primary().id();

        assertThat(new CommandLine(new RotateSecretKeyCommand()).execute("--data-dir", dir.toString(), "--stage"))
                .isZero();
        KeyRing staged = KeyRingFile.read(file);
        assertThat(staged.primary().id()).isEqualTo(first);
        KeyRing.Key next = staged.keys().stream().filter(k -> k.role() == KeyRing.Role.NEXT).findFirst().orElseThrow();
        byte[] sealedByPeer = new SecretBox(next.bytes(), RANDOM).seal(SECRET, USER, DEVICE);
        assertThat(new SecretBox(staged, RANDOM).open(sealedByPeer, USER, DEVICE)).isEqualTo(SECRET);

        assertThat(new CommandLine(new RotateSecretKeyCommand()).execute("--data-dir", dir.toString(),
                "--promote", "0badc0de")).as("a key not staged here").isEqualTo(1);
        assertThat(KeyRingFile.read(file).primary().id()).isEqualTo(first);
        assertThat(new CommandLine(new RotateSecretKeyCommand()).execute("--data-dir", dir.toString(),
                "--promote", next.id())).isZero();
        KeyRing promoted = KeyRingFile.read(file);
        assertThat(promoted.primary().id()).isEqualTo(next.id());
        assertThat(promoted.oldIds()).containsExactly(first);
    }

    @Test
    void environmentKeysFormARingWithoutAFile() throws Exception {
        byte[] primary = key();
        byte[] old = key();
        byte[] csrf = key();
        Base64.Encoder b64 = Base64.getEncoder();
        ServiceKey.Source source = ServiceKey.load(java.util.Map.of(ServiceKey.ENV, b64.encodeToString(primary),
                ServiceKey.OLD_ENV, b64.encodeToString(old), ServiceKey.CSRF_ENV, b64.encodeToString(csrf)), dir,
                RANDOM);

        assertThat(source.file()).isEmpty();
        assertThat(source.ring().primary().id()).isEqualTo(KeyRing.idOf(primary));
        assertThat(source.ring().oldIds()).containsExactly(KeyRing.idOf(old));
        assertThat(source.ring().csrfKey()).isEqualTo(csrf);
        assertThat(Files.exists(dir.resolve(KeyRingFile.NAME))).isFalse();
    }
}
