package org.countersign.push.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import org.countersign.push.admin.AdminControls;
import org.countersign.push.admin.DeviceRemoval;
import org.countersign.push.admin.MfaCsv;
import org.countersign.push.admin.UserAdministration;
import org.countersign.push.channel.ChannelEndpoint;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.enroll.EnrollmentService;
import org.countersign.push.rp.RelyingParties;
import org.countersign.push.signin.ApprovalService;
import org.countersign.push.signin.SessionService;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.signin.SignInService;
import org.countersign.push.signin.TotpService;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.web.WebPages;

/** The service's table of contents: every route, in one place, behind the body limit and security headers. */
public final class ApiRouter {
    /** Bodies are small JSON documents; anything larger is refused before it is read. */
    public static final long BODY_LIMIT = 64 * 1024;
    /** IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}: two-digit day, always GMT. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);

    /** The services the routes delegate to. */
    public record Services(Pool pool, SignInService signIns, SignInResults results, TotpService totp,
                           ApprovalService approvals, SessionService sessions, EnrollmentService enrollments,
                           UserAdministration users, DeviceRemoval removal, DeviceStore devices,
                           ChannelRegistry channels, ChannelEndpoint channelEndpoint, Clock clock,
                           WebPages pages, AdminControls admin,
                           RelyingParties rp, AdmissionControl admission, TrustRoutes.Services trust) {
        public Services {
            Objects.requireNonNull(pool);
            Objects.requireNonNull(signIns);
            Objects.requireNonNull(results);
            Objects.requireNonNull(totp);
            Objects.requireNonNull(approvals);
            Objects.requireNonNull(sessions);
            Objects.requireNonNull(enrollments);
            Objects.requireNonNull(users);
            Objects.requireNonNull(removal);
            Objects.requireNonNull(devices);
            Objects.requireNonNull(channels);
            Objects.requireNonNull(channelEndpoint);
            Objects.requireNonNull(clock);
            Objects.requireNonNull(pages);
            Objects.requireNonNull(admin);
            Objects.requireNonNull(rp);
            Objects.requireNonNull(admission);
            Objects.requireNonNull(trust);
        }
    }

    private ApiRouter() {
    }

    public static Router create(Vertx vertx, Services services) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> securityHeaders(ctx, services.clock()));
        AdmissionControl admission = services.admission();
        router.route().handler(admission);
        // One route for every method, so an unknown address stays a 404 (a method-restricted route here would
        // make Vert.x answer 405 for every path); GETs and WebSocket upgrades pass through untouched.
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);
        BodyHandler csvFiles = BodyHandler.create(false).setBodyLimit(MfaCsv.MAX_BYTES);
        router.route().handler(ctx -> {
            HttpMethod method = ctx.request().method();
            if (FormBodies.refuse(ctx)) {
                return;
            }
            if (method == HttpMethod.POST && AdminUserRoutes.BULK_PATH.equals(ctx.normalizedPath())) {
                csvFiles.handle(ctx);
            } else if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
                bodies.handle(ctx);
            } else {
                ctx.next();
            }
        });
        // latencies of requests are measured from here, so that a slow upload is not taken for a queue
        router.route().handler(admission.bodyReceived());

        Authentication authentication = new Authentication(services.sessions(), services.pages().csrf(),
                services.admin().refusals());
        services.pages().mount(router, admission);
        new HealthRoutes(services.pool()).mount(router);
        new SignInRoutes(services.signIns(), services.results(), services.totp(), services.approvals(), admission)
                .mount(router);
        new EnrollmentRoutes(services.enrollments(), authentication, services.clock()).mount(router);
        new ChannelRoutes(services.channelEndpoint()).mount(router);
        new AdminRoutes(services.users(), services.removal(), services.channels(), authentication).mount(router);
        new MeRoutes(services.pool(), services.devices(), services.removal(), services.channels(), authentication)
                .mount(router);
        AdminControls admin = services.admin();
        new AdminControlRoutes(admin.settings(), admin.policies(), authentication).mount(router);
        new AdminUserRoutes(admin.details(), admin.actions(), admin.bulk(), services.channels(), authentication)
                .mount(router);
        new ActivityRoutes(services.pool(), admin.activity(), authentication).mount(router);
        new SelfServiceRoutes(admin.appPasswords(), admin.actions(), admin.legacy(), authentication, admission)
                .mount(router);
        new RpRoutes(services.rp(), authentication, admission).mount(router);
        new TrustRoutes(services.trust(), authentication).mount(router);

        FailureHandler failures = new FailureHandler();
        router.route().failureHandler(failures);
        for (int status : new int[] {400, 404, 405, 413, 415}) {
            router.errorHandler(status, ctx -> FailureHandler.send(ctx, FailureHandler.forStatus(status)));
        }
        return router;
    }

    private static void securityHeaders(RoutingContext ctx, Clock clock) {
        // Date as the headers leave, whoever ends the response (a route, the failure or error handler): the
        // authenticator's time-check reads the service's clock from it, and Vert.x does not send one itself.
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set("Date", HTTP_DATE.format(clock.instant())));
        ctx.response().headers()
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set("Cache-Control", "no-store")
                .set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        ctx.next();
    }
}
