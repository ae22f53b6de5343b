package org.countersign.authenticator.push;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.ProtocolException;

/**
 * Answers an approval request over HTTP ({@code POST /api/v1/sign-ins/{id}/response}), for when the device has no
 * live channel. The body is the signed {@code approval.response}.
 */
public final class ApprovalClient {
    private final HttpClient http;

    /** @param http a client built by {@link PushHttp#newClient} with the account's pin */
    public ApprovalClient(HttpClient http) {
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * Signs and sends the decision.
     *
     * @param number the number shown on the sign-in screen; required to approve, ignored (null) otherwise
     * @return the sign-in's state after the answer ({@code approved}, {@code denied}, {@code expired}, …)
     * @throws PushException with the service's message when it refuses, or when it cannot be reached
     * @throws ProtocolException when the sign-in id or number cannot be signed (empty, control characters, …)
     */
    public ApprovalResult respond(PushAccount account, String signInId, Decision decision, String number) {
        ApprovalResponse response = ApprovalResponse.sign(signInId, account.deviceId(), decision,
                decision == Decision.APPROVE ? number : null, account.signer());
        URI url = account.serviceUrl().resolve("/api/v1/sign-ins/"
                + URLEncoder.encode(signInId, StandardCharsets.UTF_8).replace("+", "%20") + "/response");
        JsonObject answer = PushHttp.postJson(http, url, response.toJson(), "the answer");
        try {
            return ApprovalResult.fromJson(answer);
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new PushException("The service's answer is not a sign-in state: " + e.getMessage());
        }
    }
}
