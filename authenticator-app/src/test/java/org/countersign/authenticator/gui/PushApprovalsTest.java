package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.countersign.authenticator.push.PushHttp;
import org.countersign.authenticator.vault.PushAccount;
import java.time.Instant;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceAdded;
import org.countersign.protocol.SignInKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The approvals model against a miniature push service: no display needed. */
@Timeout(60)
class PushApprovalsTest {
    private PushServiceStub service;
    private PushApprovals approvals;
    private final BlockingQueue<PendingApproval> requests = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        service = new PushServiceStub();
        approvals = new PushApprovals(PushHttp::newClient, Clock.systemUTC(), requests::add);
    }

    @AfterEach
    void stop() throws Exception {
        approvals.close();
        service.close();
    }

    @Test
    void aRequestIsShownOnceAndTheRightNumberApprovesOverTheChannel() throws Exception {
        PushAccount account = service.pushAccount("dev-1", "Contoso", "alice");
        service.request("dev-1", PushServiceStub.signIn("s-1", SignInKind.SIGN_IN, 90), "42");

        approvals.hold(account);
        PendingApproval pending = requests.poll(20, TimeUnit.SECONDS);

        assertThat(pending).isNotNull();
        assertThat(pending.details(ZoneOffset.UTC)).extracting(AccountPreview.Field::value)
                .contains("Payroll portal", "Paris, FR", "203.0.113.7", "Sign-in");
        assertThat(approvals.answer(pending, Decision.APPROVE, "4 2").get(20, TimeUnit.SECONDS)).isEqualTo("approved");
        assertThat(service.log).contains("login dev-1 true", "channel approve 42 approved");
    }

    @Test
    void aSupersededRequestEndsItsPromptAndANewDeviceIsANotice() throws Exception {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        PushApprovals.Listener listener = new PushApprovals.Listener() {
            @Override
            public void onRequest(PendingApproval approval) {
                heard.add("request " + approval.signInId());
            }

            @Override
            public void onNotice(String message) {
                heard.add("notice " + message);
            }

            @Override
            public void onEnded(String signInId, String state) {
                heard.add("ended " + signInId + " " + state);
            }
        };
        try (PushApprovals held = new PushApprovals(PushHttp::newClient, Clock.systemUTC(), listener)) {
            held.hold(service.pushAccount("dev-1", "Contoso", "alice"));
            service.request("dev-1", PushServiceStub.signIn("s-5", SignInKind.SIGN_IN, 90), "42");
            assertThat(heard.poll(20, TimeUnit.SECONDS)).isEqualTo("request s-5");

            service.frame("dev-1", new ApprovalResult("s-5", "expired", "superseded"));
            service.frame("dev-1", new DeviceAdded("Attacker phone", "android", Instant.parse("2026-11-23T09:00:00Z")));

            assertThat(heard.poll(20, TimeUnit.SECONDS)).isEqualTo("ended s-5 expired");
            assertThat(heard.poll(20, TimeUnit.SECONDS)).startsWith("notice A new device was added to ")
                    .contains("Attacker phone (android) at 2026-11-23T09:00:00Z", "If this wasn't you");
        }
    }

    @Test
    void approvingWithoutANumberIsRefusedBeforeAnythingIsSent() throws Exception {
        approvals.hold(service.pushAccount("dev-1", "Contoso", "alice"));
        service.request("dev-1", PushServiceStub.signIn("s-1", SignInKind.SIGN_IN, 90), "42");
        PendingApproval pending = requests.poll(20, TimeUnit.SECONDS);

        assertThatThrownBy(() -> approvals.answer(pending, Decision.APPROVE, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Type the number");
        assertThatThrownBy(() -> approvals.answer(pending, Decision.APPROVE, "4x"))
                .hasMessageContaining("digits only");
        assertThat(service.log).noneMatch(line -> line.startsWith("channel"));
    }

    @Test
    void withoutAChannelTheAnswerGoesOverHttp() throws Exception {
        PushAccount account = service.pushAccount("dev-2", "Contoso", "alice");
        PendingApproval pending = new PendingApproval(account, PushServiceStub.signIn("s-2", SignInKind.SIGN_IN, 90));

        assertThat(approvals.answer(pending, Decision.FRAUD, null).get(20, TimeUnit.SECONDS)).isEqualTo("denied");
        assertThat(service.log).contains("http fraud null denied");
    }

    @Test
    void anExpiredRequestIsNeverShown() throws Exception {
        service.request("dev-1", PushServiceStub.signIn("s-3", SignInKind.SIGN_IN, 0), "42");
        service.request("dev-3", PushServiceStub.signIn("s-4", SignInKind.SIGN_IN, 90), "42");

        approvals.hold(service.pushAccount("dev-1", "Contoso", "alice"));
        approvals.hold(service.pushAccount("dev-3", "Contoso", "alice"));

        PendingApproval shown = requests.poll(20, TimeUnit.SECONDS);
        assertThat(shown.signInId()).isEqualTo("s-4");
        assertThat(requests.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void outcomesAreSentencesForThePerson() {
        assertThat(PendingApproval.outcome(Decision.APPROVE, "denied")).contains("number did not match");
        assertThat(PendingApproval.outcome(Decision.FRAUD, "denied")).contains("reported");
        assertThat(PendingApproval.outcome(Decision.APPROVE, "approved")).startsWith("Approved");
    }
}
