package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import org.countersign.protocol.ActivationRequest;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInState;
import org.countersign.push.enroll.EnrollmentService;
import org.countersign.push.enroll.EnrollmentStatus;

/** {@code /api/v1/enrollments}: start a registration (signed in), follow it, and activate a device (the app). */
final class EnrollmentRoutes {
    private final EnrollmentService enrollments;
    private final Authentication authentication;
    private final Clock clock;

    EnrollmentRoutes(EnrollmentService enrollments, Authentication authentication, Clock clock) {
        this.enrollments = Objects.requireNonNull(enrollments);
        this.authentication = Objects.requireNonNull(authentication);
        this.clock = Objects.requireNonNull(clock);
    }

    void mount(Router router) {
        router.post("/api/v1/enrollments/activate").respond(this::activate);
        router.post("/api/v1/enrollments").respond(this::create);
        router.get("/api/v1/enrollments/:id").respond(this::status);
        router.post("/api/v1/enrollments/:id/test").respond(this::resendTest);
    }

    private Future<JsonObject> create(RoutingContext ctx) {
        return authentication.anySession(ctx).compose(enrollments::create).map(created -> {
            ctx.response().setStatusCode(201);
            return new JsonObject()
                    .put("enrollmentId", created.enrollment().id().toString())
                    .put("uri", created.uri().format())
                    .put("qrPngUrl", created.qrPngDataUrl())
                    .put("expiresAt", created.enrollment().expiresAt().toString());
        });
    }

    private Future<JsonObject> status(RoutingContext ctx) {
        UUID id = Ids.parse(ctx.pathParam("id"), "That enrollment");
        return authentication.anySession(ctx).compose(session -> enrollments.status(session, id))
                .map(this::toJson);
    }

    /** A new test notification when the first was denied (a mistyped number) or expired. */
    private Future<JsonObject> resendTest(RoutingContext ctx) {
        UUID id = Ids.parse(ctx.pathParam("id"), "That enrollment");
        return authentication.anySession(ctx).compose(session -> enrollments.resendTest(session, id))
                .map(this::toJson);
    }

    private Future<JsonObject> activate(RoutingContext ctx) {
        ActivationRequest request = ActivationRequest.fromJson(JsonBody.of(ctx));
        return enrollments.activate(request).map(response -> {
            ctx.response().setStatusCode(201);
            return response.toJson();
        });
    }

    private JsonObject toJson(EnrollmentStatus status) {
        JsonObject json = new JsonObject()
                .put("enrollmentId", status.enrollmentId().toString())
                .put("state", status.state().wire());
        status.deviceId().ifPresent(id -> json.put("deviceId", id.toString()));
        status.testSignIn().ifPresent(test -> json.put("testSignIn", testJson(test)));
        return json;
    }

    /** The test notification as the registration page shows it; the number only while it can be answered. */
    private JsonObject testJson(SignIn test) {
        SignInState state = test.effectiveState(clock.instant());
        JsonObject json = new JsonObject().put("signInId", test.id().toString()).put("state", state.wire());
        if (state == SignInState.PENDING) {
            test.number().ifPresent(number -> json.put("number", number));
            json.put("expiresAt", test.expiresAt().toString());
        }
        test.reason().ifPresent(reason -> json.put("reason", reason.wire()));
        return json;
    }
}
