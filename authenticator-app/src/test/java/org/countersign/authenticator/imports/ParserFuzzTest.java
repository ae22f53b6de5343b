package org.countersign.authenticator.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.countersign.authenticator.scan.ScanException;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated inputs for every parser of the app (enrollment and otpauth URIs, QR payload text, Google
 * migration payloads, URI lists, Aegis files, Countersign backups and vault files): each is read or refused with
 * the parser's own exception and a message, never another exception or a hang, and a damaged vault is left exactly
 * as it was. Seeded: {@code -Dfuzz.seed=N} replays a run.
 */
@Timeout(300)
class ParserFuzzTest {
    private static final int TEXT_MUTATIONS = 2_000;
    private static final int FILE_MUTATIONS = 400;
    private static final String[] ODD = {"\u0000", "\uD800", "\uDC00", "\u202E", "\uFEFF", "%", "%0", "%ZZ", "%00",
            "&", "=", "?", "#", ":", "/", "\n", " ", "é", "🦄", "&v=2", "&secret=", "&digits=99", "&period=0",
            "&counter=-1", "&url=http://evil.example", "&algorithm=MD5", "A".repeat(2_000), "=".repeat(5)};

    @TempDir
    Path temp;

    private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
    private final Random random = new Random(seed);
    private final Map<String, String> tally = new TreeMap<>();
    private final List<String> findings = new ArrayList<>();

    @Test
    void everyParserRefusesMutatedInputWithItsOwnErrorAndChangesNothing() throws Exception {
        System.out.println("ParserFuzzTest seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        String enrollment = "countersign://enroll?v=1&url=https%3A%2F%2Fmfa.example.com%2Fapi%2Fv1%2Fenrollments"
                + "%2Factivate&code=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=Example&user=alice";
        String otpauth = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
                + "&algorithm=SHA1&digits=6&period=30";
        String migration = new TestMigrationEncoder().entry("12345678901234567890".getBytes(StandardCharsets.US_ASCII),
                "alice@example.com", "Example", 1, 1, 2, 0).uri(1, 0, 7);
        String aegis = "{\"version\":1,\"header\":{\"slots\":null,\"params\":null},\"db\":{\"version\":2,\"entries\":"
                + "[{\"type\":\"totp\",\"uuid\":\"01234567-89ab-cdef-0123-456789abcdef\",\"name\":\"alice\","
                + "\"issuer\":\"GitHub\",\"info\":{\"secret\":\"JBSWY3DPEHPK3PXP\",\"algo\":\"SHA1\",\"digits\":6,"
                + "\"period\":30}}]}}";
        SecureRandom secure = new SecureRandom();

        texts("enrollment URI", enrollment, ProtocolException.class, EnrollmentUri::parse);
        texts("otpauth URI", otpauth, ProtocolException.class, OtpAuthUri::parse);
        texts("QR payload", random.nextBoolean() ? otpauth : enrollment, ScanException.class,
                ScannedPayload::classify);
        texts("otpauth-migration URI", migration, ImportException.class,
                text -> new GoogleMigrationImporter(secure).read(List.of(text)));
        texts("URI list file", otpauth + "\n" + otpauth.replace("alice", "bob") + "\n", ImportException.class,
                text -> new UriListImporter(secure).read(text));
        texts("Aegis file", aegis, ImportException.class,
                text -> new AegisImporter(secure).read(text, () -> "aegis pass".toCharArray()));
        damagedVaults(secure);

        System.out.println("ParserFuzzTest: inputs per parser and outcome: " + tally);
        assertThat(findings).as("inputs that got another exception than the parser's own (seed " + seed + ")")
                .isEmpty();
    }

    private <E extends RuntimeException> void texts(String parser, String valid, Class<E> expected,
                                                    Consumer<String> parse) {
        for (int i = 0; i < TEXT_MUTATIONS; i++) {
            String input = mutate(valid);
            try {
                parse.accept(input);
                count(parser, "read");
            } catch (RuntimeException e) {
                check(parser, input, expected, e);
            }
        }
    }

    private <E extends RuntimeException> void check(String parser, String input, Class<E> expected,
                                                    RuntimeException e) {
        if (expected.isInstance(e) && e.getMessage() != null && !e.getMessage().isBlank()) {
            count(parser, "refused");
        } else {
            count(parser, "wrong exception");
            findings.add(parser + ": " + e + " for " + (input.length() > 120 ? input.substring(0, 120) : input));
        }
    }

    /** A vault and a backup made from it, damaged byte by byte: refused, and the damaged file left as it was. */
    private void damagedVaults(SecureRandom secure) throws Exception {
        char[] passphrase = "vault passphrase".toCharArray();
        Path original = temp.resolve("original.vault");
        VaultFile file = new VaultFile(original, KdfParameters.forTestsOnly(), secure, VaultFile.FileWriting.DIRECT);
        Account account = TotpAccount.fromUri(Account.newId(secure), OtpAuthUri.parse(
                "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example"));
        file.create(passphrase, 1, List.of(account));
        byte[] good = Files.readAllBytes(original);
        for (int i = 0; i < FILE_MUTATIONS; i++) {
            byte[] damaged = mutate(good);
            Path path = temp.resolve("damaged-" + i + ".vault");
            Files.write(path, damaged);
            try {
                new VaultFile(path, KdfParameters.forTestsOnly(), secure, VaultFile.FileWriting.DIRECT)
                        .read(passphrase);
                count("vault file", "read");
            } catch (RuntimeException e) {
                check("vault file", "byte mutation " + i, VaultException.class, e);
            }
            try {
                new CountersignBackupImporter().read(path, passphrase);
                count("backup file", "read");
            } catch (RuntimeException e) {
                check("backup file", "byte mutation " + i, VaultException.class, e);
            }
            if (!java.util.Arrays.equals(Files.readAllBytes(path), damaged)) {
                findings.add("reading damaged vault " + i + " changed the file");
            }
            Files.delete(path);
        }
    }

    private String mutate(String valid) {
        StringBuilder text = new StringBuilder(valid);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(7)) {
                case 0 -> text.insert(at, ODD[random.nextInt(ODD.length)]);
                case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(12)));
                case 2 -> text.setLength(at);
                case 3 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, (char) random.nextInt(0x3000));
                    }
                }
                case 4 -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(40))));
                case 5 -> text.append(ODD[random.nextInt(ODD.length)].repeat(1 + random.nextInt(600)));
                default -> {
                    if (at < text.length()) {
                        text.setCharAt(at, (char) ('0' + random.nextInt(75)));
                    }
                }
            }
        }
        return text.toString();
    }

    private byte[] mutate(byte[] good) {
        byte[] bytes;
        switch (random.nextInt(4)) {
            case 0 -> bytes = java.util.Arrays.copyOf(good, random.nextInt(good.length));
            case 1 -> {
                bytes = java.util.Arrays.copyOf(good, good.length + 1 + random.nextInt(64));
                for (int i = good.length; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt(256);
                }
            }
            default -> {
                bytes = good.clone();
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
        }
        return bytes;
    }

    private void count(String parser, String outcome) {
        tally.merge(parser + " " + outcome, "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1));
    }
}
