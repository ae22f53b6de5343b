package org.countersign.push.fuzz;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;

/** One method and route path of the service's router, e.g. {@code POST /api/v1/sign-ins/:id/totp}. */
record Endpoint(String method, String path) implements Comparable<Endpoint> {

    /** Every method and path the router declares, so that routes added later are fuzzed without a change here. */
    static Set<Endpoint> of(Router router) {
        Set<Endpoint> endpoints = new TreeSet<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null) {
                continue;
            }
            String fullPath = !route.isExactPath() && !path.endsWith("*") ? path + "*" : path;
            Set<HttpMethod> methods = route.methods();
            if (methods == null || methods.isEmpty()) {
                for (String method : new String[] {"GET", "POST"}) {
                    endpoints.add(new Endpoint(method, fullPath));
                }
            } else {
                methods.forEach(method -> endpoints.add(new Endpoint(method.name(), fullPath)));
            }
        }
        return endpoints;
    }

    /** Whether errors here must be {@code {"error","message"}} JSON (every address but the HTML pages). */
    boolean isApi() {
        return path.startsWith("/api/") || path.startsWith("/web/") || path.equals("/health");
    }

    boolean hasBody() {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    @Override
    public int compareTo(Endpoint other) {
        int byPath = path.compareTo(other.path);
        return byPath != 0 ? byPath : method.compareTo(other.method);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
