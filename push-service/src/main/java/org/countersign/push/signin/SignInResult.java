package org.countersign.push.signin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInState;

/**
 * What a sign-in call answers. The number goes only to the sign-in screen; session and remember tokens are
 * handed out once. {@code pushSuppressed} says why a pending challenge sent no push ({@code push_limit} or
 * {@code fraud_reported}), so that the page asks for a code from the app instead.
 */
public record SignInResult(SignIn signIn, SignInState state, Optional<DenialReason> reason, Optional<String> number,
                           Optional<Instant> expiresAt, List<String> methods, Optional<String> sessionToken,
                           Optional<String> rememberToken, Optional<Boolean> skippable, OptionalInt daysLeft,
                           Optional<String> pushSuppressed) {
    public SignInResult {
        Objects.requireNonNull(signIn, "signIn");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(pushSuppressed, "pushSuppressed");
        methods = List.copyOf(methods);
    }

    /** A result for which the push, if any, was sent. */
    public SignInResult(SignIn signIn, SignInState state, Optional<DenialReason> reason, Optional<String> number,
                        Optional<Instant> expiresAt, List<String> methods, Optional<String> sessionToken,
                        Optional<String> rememberToken, Optional<Boolean> skippable, OptionalInt daysLeft) {
        this(signIn, state, reason, number, expiresAt, methods, sessionToken, rememberToken, skippable, daysLeft,
                Optional.empty());
    }

    /** A result that shows the state only. */
    public static SignInResult of(SignIn signIn, SignInState state) {
        return new SignInResult(signIn, state, state == signIn.state() ? signIn.reason() : Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.empty());
    }

    public SignInResult withTokens(String session, Optional<String> remember) {
        return new SignInResult(signIn, state, reason, number, expiresAt, methods, Optional.of(session), remember,
                skippable, daysLeft, pushSuppressed);
    }

    @Override
    public String toString() {
        return "SignInResult[" + signIn.id() + ", " + state.wire() + ", number and tokens redacted]";
    }
}
