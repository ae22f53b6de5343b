package org.countersign.push.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves the pages and their assets from {@code webroot/} on the classpath, read once at start: a fixed list,
 * so no request path ever reaches the class loader. HTML is {@code no-store} under the page
 * Content-Security-Policy (no inline scripts or styles anywhere); assets are revalidated by ETag.
 */
public final class StaticPages {
    /** The policy of every page (docs/web-sessions.md, "Page security"). */
    public static final String PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Map<String, String> PAGES = Map.of(
            "/sign-in", "sign-in.html",
            "/my/security-info", "security-info.html",
            "/admin", "admin.html");
    /** Everything under /assets/; add new scripts and styles here. */
    private static final List<String> ASSETS = List.of(
            "countersign.css", "web.js", "sign-in.js", "security-info.js", "favicon.svg", "authenticator.svg",
            "admin.css", "admin.js", "admin-common.js", "admin-users.js", "admin-user-panel.js", "admin-settings.js",
            "admin-policies.js", "admin-bulk.js", "admin-activity.js",
            "admin-rp.js");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    private record Resource(Buffer content, String type, String etag) {
    }

    private final Map<String, Resource> pages;
    private final Map<String, Resource> assets;

    public StaticPages() {
        this.pages = PAGES.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> load(entry.getValue())));
        this.assets = ASSETS.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                name -> name, name -> load("assets/" + name)));
    }

    public void mount(Router router) {
        router.get("/").handler(ctx -> ctx.redirect("/sign-in"));
        PAGES.keySet().forEach(path -> router.get(path).handler(ctx -> page(ctx, pages.get(path))));
        router.get("/assets/:name").handler(this::asset);
        // browsers ask for /favicon.ico when a page names none; ours do, but an old tab must not log 404s
        router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(204)
                .putHeader("Cache-Control", "max-age=86400").end());
    }

    private static void page(RoutingContext ctx, Resource page) {
        ctx.response()
                .putHeader("Content-Type", page.type())
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Security-Policy", PAGE_CSP)
                .end(page.content());
    }

    private void asset(RoutingContext ctx) {
        Resource asset = assets.get(ctx.pathParam("name"));
        if (asset == null) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Cache-Control", "no-cache").putHeader("ETag", asset.etag());
        if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader("Content-Type", asset.type()).end(asset.content());
    }

    private static Resource load(String name) {
        String path = "webroot/" + name;
        try (InputStream in = StaticPages.class.getClassLoader().getResourceAsStream(path)) {
            Objects.requireNonNull(in, () -> "missing resource " + path);
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return new Resource(Buffer.buffer(bytes), Objects.requireNonNull(type, path), etag(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
