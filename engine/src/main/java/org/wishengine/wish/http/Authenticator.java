package org.wishengine.wish.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.AuthResult;
import org.wishengine.wish.auth.TokenVerifier;

/**
 * The one place that decides who a request acts as (API.md section 3): the organiser token, a
 * user token, or nothing, checked against the route's {@link Route.Audience}. Thread-safe; runs
 * on the event loops without a round trip to anything.
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

    private static final Granted ORGANISER = new Granted(Actor.ORGANISER);
    private static final Granted PUBLIC = new Granted(Actor.PUBLIC);

    private final TokenVerifier verifier;
    private final AdminTokenCheck admin;

    Authenticator(TokenVerifier verifier, AdminTokenCheck admin) {
        this.verifier = verifier;
        this.admin = admin;
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
        return verifier.verifyHeader(header).isValid()
                ? new Denied(HttpResponseStatus.FORBIDDEN, "forbidden", "this route is for organisers")
                : unauthorized("an organiser token is required");
    }

    private Access user(String header) {
        AuthResult result = verifier.verifyHeader(header);
        if (result.isValid()) {
            return new Granted(Actor.user(result.userId()));
        }
        return admin.matchesHeader(header)
                ? new Denied(HttpResponseStatus.FORBIDDEN, "forbidden", "this route is for users, not organisers")
                : unauthorized(reason(result));
    }

    private Access userOrOrganiser(String header) {
        if (admin.matchesHeader(header)) {
            return ORGANISER;
        }
        AuthResult result = verifier.verifyHeader(header);
        return result.isValid() ? new Granted(Actor.user(result.userId())) : unauthorized(reason(result));
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
            default -> "the token is malformed";
        };
    }
}
