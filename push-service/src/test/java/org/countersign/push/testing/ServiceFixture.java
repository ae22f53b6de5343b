package org.countersign.push.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@link TestService} a test class shares, started before its first test and stopped after its last, so that
 * test classes say which service they need instead of repeating the fields, the start and the stop.
 *
 * <p>A JUnit extension on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
 * }</pre>
 *
 * The service starts before the class's own {@code @BeforeAll} methods (which may add users and devices) and
 * stops after its {@code @AfterAll} methods (which may close them), even when they fail. {@code @Nested} classes
 * share the outer class's service: it starts once, for the class that declares the field. A service that cannot
 * start fails the class with the variant and the class named; one that started and then failed (the admin's
 * sign-in, say) is stopped all the same.
 */
public final class ServiceFixture implements BeforeAllCallback, AfterAllCallback {
    private final String variant;
    private final Supplier<TestService> start;
    private final boolean adminSignedIn;
    /** Started and stopped by this fixture, never registered itself; null without {@link #withSecondNode()}. */
    private final ServiceFixture secondNode;

    private String owner;
    private TestService service;
    private Rows rows;
    private String admin;

    private ServiceFixture(String variant, Supplier<TestService> start, boolean adminSignedIn, boolean twoNodes) {
        this.variant = variant;
        this.start = start;
        this.adminSignedIn = adminSignedIn;
        this.secondNode = twoNodes ? new ServiceFixture("the second node of " + variant,
                () -> TestService.joining(service()), false, false) : null;
    }

    /** A service with the settings of a fresh installation: security defaults on ({@link TestService#start()}). */
    public static ServiceFixture freshInstallation() {
        return new ServiceFixture("a fresh installation", TestService::start, false, false);
    }

    /** A service with security defaults off, so only the per-user state asks for MFA. */
    public static ServiceFixture withoutSecurityDefaults() {
        return new ServiceFixture("security defaults off", TestService::withoutSecurityDefaults, false, false);
    }

    /**
     * A service the test starts its own way ({@code variant} names it in errors), e.g.
     * {@code startedBy("HTTPS", () -> TestService.withTls(identity))}.
     */
    public static ServiceFixture startedBy(String variant, Supplier<TestService> start) {
        return new ServiceFixture(variant, start, false, false);
    }

    /** The same service, with the bootstrap admin signed in once it has started ({@link #admin()}). */
    public ServiceFixture withAdminSignedIn() {
        return new ServiceFixture(variant, start, true, secondNode != null);
    }

    /**
     * The same service with a second node ({@link TestService#joining(TestService)}, reached through
     * {@link #secondNode()}): it joins as soon as the first node has started, before the admin signs in, and stops
     * before the first node does.
     */
    public ServiceFixture withSecondNode() {
        return new ServiceFixture(variant, start, adminSignedIn, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (owner != null) {
            return; // a @Nested class of the class that started the service
        }
        owner = context.getUniqueId();
        startService(context);
        if (secondNode != null) {
            secondNode.startService(context);
        }
        if (adminSignedIn) {
            try {
                admin = service.flows().adminToken();
            } catch (AssertionError e) {
                throw new AssertionError("the bootstrap admin could not sign in on the test service (" + variant
                        + ") for " + context.getDisplayName(), e);
            }
        }
    }

    private void startService(ExtensionContext context) {
        try {
            service = start.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not start the test service (" + variant + ") for "
                    + context.getDisplayName(), e);
        }
        rows = new Rows(service);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!context.getUniqueId().equals(owner)) {
            return; // a @Nested class: the service stays up for the rest of the outer class
        }
        owner = null;
        try {
            if (secondNode != null) {
                secondNode.stopService();
            }
        } finally {
            stopService();
        }
    }

    private void stopService() {
        TestService started = service;
        service = null;
        rows = null;
        admin = null;
        if (started != null) {
            started.close();
        }
    }

    /** The running service (with {@link #withSecondNode()}: its first node). */
    public TestService service() {
        if (service == null) {
            throw new IllegalStateException("the test service (" + variant + ") is not running: it runs from"
                    + " before the first test of the class that registers this fixture to after its last");
        }
        return service;
    }

    /** The second node, as a fixture of its own (no admin is signed in on it): needs {@link #withSecondNode()}. */
    public ServiceFixture secondNode() {
        if (secondNode == null) {
            throw new IllegalStateException("this test service has one node: register the fixture withSecondNode()");
        }
        return secondNode;
    }

    /** The service's HTTP client ({@link TestService#api}). */
    public Api api() {
        return service().api;
    }

    /** The steps most tests share ({@link TestService#flows()}). */
    public Flows flows() {
        return service().flows();
    }

    /** What the service's database holds. */
    public Rows rows() {
        service();
        return rows;
    }

    /** The service's clock, which only the test moves. */
    public MutableClock clock() {
        return service().clock;
    }

    /** The session token of the bootstrap admin, signed in as the service started. */
    public String admin() {
        service();
        if (!adminSignedIn) {
            throw new IllegalStateException("no admin is signed in for this class: register the fixture"
                    + " withAdminSignedIn()");
        }
        return admin;
    }
}
