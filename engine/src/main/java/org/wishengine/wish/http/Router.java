package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches a decoded path against the {@link Route} templates. A path that matches a template
 * with another method is reported as such, so the caller can answer 405 with {@code Allow}.
 */
final class Router {

    /** The result of matching: a route and its {@code {id}}, or why none matched. */
    record Match(Route route, String id, String allow) {
        boolean found() {
            return route != null;
        }

        boolean wrongMethod() {
            return route == null && allow != null;
        }
    }

    private static final Match NONE = new Match(null, null, null);
    /** {@code Route.values()} copies its array on every call. */
    private static final Route[] ROUTES = Route.values();

    private final List<String[]> templates = new ArrayList<>();

    Router() {
        for (Route route : Route.values()) {
            templates.add(route.template.substring(1).split("/"));
        }
    }

    Match match(HttpMethod method, String path) {
        String[] segments = split(path);
        if (segments == null) {
            return NONE;
        }
        StringBuilder allow = null;
        Route[] routes = ROUTES;
        for (int r = 0; r < routes.length; r++) {
            String id = bind(templates.get(r), segments);
            if (id == null) {
                continue;
            }
            if (routes[r].method.equals(method)) {
                return new Match(routes[r], id.isEmpty() ? null : id, null);
            }
            allow = allow == null ? new StringBuilder() : allow.append(", ");
            allow.append(routes[r].method.name());
        }
        return allow == null ? NONE : new Match(null, null, allow.toString());
    }

    /** The {@code {id}} the template binds ("" when it has none), or null when it does not match. */
    private static String bind(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return null;
        }
        String id = "";
        for (int i = 0; i < template.length; i++) {
            if (template[i].equals("{id}")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                id = segments[i];
            } else if (!template[i].equals(segments[i])) {
                return null;
            }
        }
        return id;
    }

    private static String[] split(String path) {
        if (path.isEmpty() || path.charAt(0) != '/' || path.contains("//")) {
            return null;
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        return trimmed.split("/", -1);
    }
}
