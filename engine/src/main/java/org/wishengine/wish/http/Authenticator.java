package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.EnumSet;
import java.util.Set;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.AuthFailure;
import org.wishengine.wish.auth.AuthResult;
import org.wishengine.wish.auth.Revocations;
import org.wishengine.wish.auth.TokenVerifier;

/**
 * The one place that decides who a request acts as (API.md section 3): the admin token (the
 * district administrator), an organiser token (an organiser scoped to one org), a user token, or
 * nothing, checked against the route's {@link Route.Audience}. A user token never passes as an
 * organiser nor an organiser token as a user: the signed {@code role} claim decides. Thread-safe;
 * runs on the event loops without a round trip to anything (revocations are a local snapshot).
 */
final class Authenticator {

    /** The outcome of a check: who acts, or why the request is refused. */
    sealed interface Access permits Granted, Denied {
    }

    record Granted(Actor actor) implements Access {
    }

    /** A 401 (with {@code WWW-Authenticate: Bearer}) or a 403. */
    record Denied(HttpResponseStatus status, String code, String message) implements Access {

        boolean challenge() {
            return status.code() == 401;
        }
    }

    /**
     * Organiser routes whose endpoint hands the organiser's org to the book as the command's
     * scope. A scoped organiser token is refused on any other organiser route rather than
     * silently given the administrator's powers there (a route added later is safe by default).
     */
    static final Set<Route> SCOPE_AWARE = EnumSet.of(Route.WHOAMI, Route.CREATE_CAMPAIGN, Route.CAMPAIGN_CLAIMS,
            Route.GET_CLAIM, Route.CANCEL_CLAIM, Route.FULFIL_CLAIM, Route.CONFIRM_CLAIM, Route.CREATE_ORG,
            Route.LOAD_ORGS, Route.RENAME_ORG, Route.RETIRE_ORG, Route.AUDIT);
    /** Routes for the district administrator alone: an organiser token of any org is refused there. */
    private static final Set<Route> ADMIN_ONLY = EnumSet.of(Route.ORG_TOKENS, Route.REVOKE_TOKEN);
    private static final Denied ADMIN_ROUTE = new Denied(HttpResponseStatus.FORBIDDEN, "forbidden",
            "only the district administrator issues and revokes organiser tokens");

    private static final Granted ORGANISER = new Granted(Actor.ORGANISER);
    private static final Granted PUBLIC = new Granted(Actor.PUBLIC);
    private static final Denied NOT_FOR_USERS =
            new Denied(HttpResponseStatus.FORBIDDEN, "forbidden", "this route is for organisers");
    private static final Denied NOT_FOR_ORGANISERS =
            new Denied(HttpResponseStatus.FORBIDDEN, "forbidden", "this route is for users, not organisers");
    private static final Denied SCOPE_UNSUPPORTED = new Denied(HttpResponseStatus.FORBIDDEN, "forbidden",
            "scoped organiser tokens are not supported on this route yet");
    private static final Denied REVOKED = unauthorized("the token has been revoked");

    private final TokenVerifier verifier;
    private final AdminTokenCheck admin;
    private final Revocations revocations;

    /** An authenticator for which no organiser token is ever revoked. */
    Authenticator(TokenVerifier verifier, AdminTokenCheck admin) {
        this(verifier, admin, Revocations.none());
    }

    Authenticator(TokenVerifier verifier, AdminTokenCheck admin, Revocations revocations) {
        this.verifier = verifier;
        this.admin = admin;
        this.revocations = revocations;
    }

    /**
     * Checks the {@code Authorization} header (null when absent) against who may call
     * {@code route}, refusing a scoped organiser where the route cannot honour its scope yet.
     */
    Access check(Route route, String header) {
        Access access = check(route.audience, header);
        if (access instanceof Granted granted && granted.actor().org() != null) {
            if (ADMIN_ONLY.contains(route)) {
                return ADMIN_ROUTE;
            }
            if (!SCOPE_AWARE.contains(route)) {
                return SCOPE_UNSUPPORTED;
            }
        }
        return access;
    }

    /** Checks the {@code Authorization} header (null when absent) against who may call the route. */
    Access check(Route.Audience audience, String header) {
        return switch (audience) {
            case PUBLIC -> PUBLIC;
            case ORGANISER -> organiser(header);
            case USER -> user(header);
            case USER_OR_ORGANISER -> userOrOrganiser(header);
        };
    }

    private Access organiser(String header) {
        if (admin.matchesHeader(header)) {
            return ORGANISER;
        }
        AuthResult result = verifier.verifyHeader(header);
        if (result.isOrganiser()) {
            return scoped(result);
        }
        if (result.isUser()) {
            return NOT_FOR_USERS;
        }
        // A wrong admin token is not a JWT at all: say what is wanted rather than "malformed".
        AuthFailure failure = result.failure();
        return unauthorized(failure == AuthFailure.MISSING || failure == AuthFailure.MALFORMED
                ? "an organiser token is required" : reason(result));
    }

    private Access user(String header) {
        AuthResult result = verifier.verifyHeader(header);
        if (result.isUser()) {
            return new Granted(Actor.user(result.userId()));
        }
        // Refused whether or not it was revoked: an organiser token is never a user's.
        return result.isOrganiser() || admin.matchesHeader(header) ? NOT_FOR_ORGANISERS : unauthorized(reason(result));
    }

    private Access userOrOrganiser(String header) {
        if (admin.matchesHeader(header)) {
            return ORGANISER;
        }
        AuthResult result = verifier.verifyHeader(header);
        if (result.isUser()) {
            return new Granted(Actor.user(result.userId()));
        }
        return result.isOrganiser() ? scoped(result) : unauthorized(reason(result));
    }

    private Access scoped(AuthResult organiser) {
        return revocations.isRevoked(organiser.jti()) ? REVOKED : new Granted(Actor.organiser(organiser.org()));
    }

    private static Denied unauthorized(String message) {
        return new Denied(HttpResponseStatus.UNAUTHORIZED, "unauthorized", message);
    }

    private static String reason(AuthResult result) {
        return switch (result.failure()) {
            case MISSING -> "a bearer token is required";
            case EXPIRED -> "the token has expired";
            case NOT_YET_VALID -> "the token is not valid yet";
            case TOO_LARGE -> "the token is too large";
            case UNSUPPORTED_ALGORITHM -> "only HS256 tokens are accepted";
            case BAD_SIGNATURE -> "the token signature is invalid";
            case REVOKED -> "the token has been revoked";
            default -> "the token is malformed";
        };
    }
}
