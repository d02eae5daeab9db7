package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Matches a path, as written in the request (not percent-decoded), against the {@link Route}
 * templates. A path that matches a template with another method is reported as such, so the
 * caller can answer 405 with {@code Allow}.
 *
 * <p>Segments are compared as written so that an escaped slash ({@code %2F}) cannot split or join
 * segments, and one resource has one path. An {@code {id}} binds only a segment of
 * {@code A-Z a-z 0-9 _ - .}, the characters every id (and asset name) is made of; a segment with
 * anything else, a {@code %} escape included, matches no route.
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
    private static final long MISMATCH = -1;
    private static final long NO_ID = 0;

    /** The segments of each route's template, in {@link #ROUTES} order. */
    private final String[][] templates = new String[ROUTES.length][];

    Router() {
        for (int r = 0; r < ROUTES.length; r++) {
            templates[r] = ROUTES[r].template.substring(1).split("/");
        }
    }

    /**
     * Matches without splitting the path: every request goes through here, and only a matched
     * {@code {id}} becomes a string.
     */
    Match match(HttpMethod method, String path) {
        if (path.isEmpty() || path.charAt(0) != '/' || path.contains("//")) {
            return NONE;
        }
        int end = path.length() > 1 && path.endsWith("/") ? path.length() - 1 : path.length();
        StringBuilder allow = null;
        for (int r = 0; r < ROUTES.length; r++) {
            long bound = bind(templates[r], path, end);
            if (bound == MISMATCH) {
                continue;
            }
            if (ROUTES[r].method.equals(method)) {
                String id = bound == NO_ID ? null : path.substring((int) (bound >>> 32), (int) bound);
                return new Match(ROUTES[r], id, null);
            }
            allow = allow == null ? new StringBuilder() : allow.append(", ");
            allow.append(ROUTES[r].method.name());
        }
        return allow == null ? NONE : new Match(null, null, allow.toString());
    }

    /**
     * Whether {@code path[1, end)} has exactly the template's segments: {@link #MISMATCH}, or
     * {@link #NO_ID} for a template without {@code {id}}, or the id's start and end packed in a
     * long (high and low 32 bits). An empty id, or one with a character outside the id alphabet,
     * does not match.
     */
    private static long bind(String[] template, String path, int end) {
        int pos = 1;
        long id = NO_ID;
        for (String part : template) {
            if (pos > end) {
                return MISMATCH;
            }
            int slash = path.indexOf('/', pos);
            int segmentEnd = slash < 0 || slash >= end ? end : slash;
            if (part.equals("{id}")) {
                if (segmentEnd == pos || !isIdSegment(path, pos, segmentEnd)) {
                    return MISMATCH;
                }
                id = ((long) pos << 32) | segmentEnd;
            } else if (segmentEnd - pos != part.length() || !path.regionMatches(pos, part, 0, part.length())) {
                return MISMATCH;
            }
            pos = segmentEnd + 1;
        }
        return pos == end + 1 ? id : MISMATCH;
    }

    private static boolean isIdSegment(String path, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
