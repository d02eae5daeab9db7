package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.auth.TokenVerifier;

/** Who may call what (API.md section 3.3), decided in one place for every audience. */
class AuthenticatorTest {

    private static final String SECRET = "authenticator-test-secret-0123456789";
    private final Authenticator auth = new Authenticator(new TokenVerifier(SECRET, Clock.systemUTC()),
            new AdminTokenCheck("organiser-token"));
    private final String user = "Bearer " + new TokenMinter(SECRET).mint("alice");
    private final String organiser = "Bearer organiser-token";
    private final String forged = "Bearer " + new TokenMinter("another-secret-0123456789abcdef").mint("alice");

    private String verdict(Route.Audience audience, String header) {
        Authenticator.Access access = auth.check(audience, header);
        if (access instanceof Authenticator.Granted granted) {
            Actor actor = granted.actor();
            return actor.organiser() ? "organiser" : actor.userId() == null ? "public" : "user " + actor.userId();
        }
        Authenticator.Denied denied = (Authenticator.Denied) access;
        return denied.status().code() + " " + denied.code() + (denied.challenge() ? " (challenge)" : "");
    }

    @Test
    void shouldLetAnyoneCallPublicRoutesWithoutLookingAtTheCredential() {
        assertEquals("public", verdict(Route.Audience.PUBLIC, null));
        assertEquals("public", verdict(Route.Audience.PUBLIC, forged));
        assertEquals("public", verdict(Route.Audience.PUBLIC, organiser));
    }

    @Test
    void shouldAdmitOnlyTheOrganiserToOrganiserRoutes() {
        assertEquals("organiser", verdict(Route.Audience.ORGANISER, organiser));
        assertEquals("403 forbidden", verdict(Route.Audience.ORGANISER, user));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.ORGANISER, null));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.ORGANISER, forged));
    }

    @Test
    void shouldAdmitOnlyUsersToUserRoutes() {
        assertEquals("user alice", verdict(Route.Audience.USER, user));
        assertEquals("403 forbidden", verdict(Route.Audience.USER, organiser));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.USER, null));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.USER, forged));
    }

    @Test
    void shouldAdmitEitherToSharedRoutes() {
        assertEquals("user alice", verdict(Route.Audience.USER_OR_ORGANISER, user));
        assertEquals("organiser", verdict(Route.Audience.USER_OR_ORGANISER, organiser));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.USER_OR_ORGANISER, forged));
    }

    @Test
    void shouldGiveEveryRouteAnEndpoint() {
        // Endpoints refuses to be built with a route left out; building it is the check.
        new Endpoints(null, null, null, null, null);
    }
}
