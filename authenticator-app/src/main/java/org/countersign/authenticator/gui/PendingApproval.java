package org.countersign.authenticator.gui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.Decision;
import org.countersign.protocol.SignInKind;

/**
 * A sign-in waiting for this device's answer, and the words the approval dialog shows for it. Text from the service
 * is shown with control characters replaced.
 */
public final class PendingApproval {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm:ss z", Locale.ENGLISH);

    private final PushAccount account;
    private final ApprovalRequest request;

    public PendingApproval(PushAccount account, ApprovalRequest request) {
        this.account = Objects.requireNonNull(account, "account");
        this.request = Objects.requireNonNull(request, "request");
    }

    public PushAccount account() {
        return account;
    }

    public ApprovalRequest request() {
        return request;
    }

    public String signInId() {
        return request.signInId();
    }

    public boolean isTest() {
        return request.kind() == SignInKind.REGISTRATION_TEST;
    }

    /** The dialog's heading. */
    public String heading() {
        return isTest() ? "Test notification: approve it to finish the setup" : "Are you trying to sign in?";
    }

    /** "alice at Contoso". */
    public String whom() {
        return printable(request.user()) + (account.issuer().isEmpty() ? "" : " at " + printable(account.issuer()));
    }

    /** Label and value pairs: app, location, IP address, time, kind. */
    public List<AccountPreview.Field> details(ZoneId zone) {
        List<AccountPreview.Field> rows = new ArrayList<>();
        rows.add(new AccountPreview.Field("App", printable(request.app())));
        rows.add(new AccountPreview.Field("Location", request.location() == null ? "Unknown" : printable(request.location())));
        rows.add(new AccountPreview.Field("IP address", request.ip() == null ? "Unknown" : printable(request.ip())));
        rows.add(new AccountPreview.Field("Time", TIME.withZone(zone).format(request.createdAt())));
        rows.add(new AccountPreview.Field("Kind", isTest() ? "Registration test" : "Sign-in"));
        return rows;
    }

    /** Whole seconds until the request expires, never negative. */
    public long secondsLeft(Clock clock) {
        return Math.max(0, Duration.between(clock.instant(), request.expiresAt()).toSeconds());
    }

    public boolean isExpired(Clock clock) {
        return !clock.instant().isBefore(request.expiresAt());
    }

    /**
     * The number typed, checked: digits only (spaces ignored), at most 8.
     *
     * @throws IllegalArgumentException with a sentence for the person
     */
    public static String checkNumber(String typed) {
        String number = typed == null ? "" : typed.replace(" ", "");
        if (number.isEmpty()) {
            throw new IllegalArgumentException("Type the number shown on the sign-in screen to approve.");
        }
        if (!number.matches("[0-9]{1,8}")) {
            throw new IllegalArgumentException("The number has digits only. Type the number shown on the sign-in screen.");
        }
        return number;
    }

    /** What the service's verdict means to the person who answered with {@code decision}. */
    public static String outcome(Decision decision, String state) {
        return switch (state) {
            case "approved" -> "Approved. You can go back to the sign-in.";
            case "denied" -> switch (decision) {
                case APPROVE -> "The number did not match, so the sign-in was denied.";
                case DENY -> "Denied. Nobody is signed in.";
                case FRAUD -> "Denied and reported as not you. Consider changing your password.";
            };
            case "expired" -> "The request expired before your answer arrived.";
            default -> "The service says: " + printable(state) + ".";
        };
    }

    static String printable(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        return "PendingApproval[" + request.signInId() + " for " + account.displayName() + "]";
    }
}
