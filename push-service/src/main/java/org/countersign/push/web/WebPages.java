package org.countersign.push.web;

import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import org.countersign.push.crypto.CsrfTokens;
import org.countersign.push.http.AdmissionControl;
import org.countersign.push.signin.BrowserSignIns;
import org.countersign.push.signin.SessionService;
import org.countersign.push.store.SettingsStore;

/** Everything the pages add to the router: the static pages and assets, and the {@code /web} endpoints. */
public final class WebPages {
    private final CsrfTokens csrf;
    private final WebRoutes routes;
    private final StaticPages pages = new StaticPages();

    public WebPages(BrowserSignIns signIns, SessionService sessions, SettingsStore settings, Pool pool,
                    CsrfTokens csrf, URI publicUrl, Clock clock) {
        this.csrf = Objects.requireNonNull(csrf);
        this.routes = new WebRoutes(signIns, sessions, settings, pool, csrf, new SessionCookies(publicUrl), clock);
    }

    /** The CSRF tokens every cookie-authenticated API call is checked against. */
    public CsrfTokens csrf() {
        return csrf;
    }

    /** @param admission marks the page sign-in as new work, shed while the node is overloaded */
    public void mount(Router router, AdmissionControl admission) {
        pages.mount(router);
        routes.mount(router, admission);
    }
}
