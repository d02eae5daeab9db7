package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.auth.AdminTokenCheck;
import org.wishengine.wish.auth.InMemoryRevocationSource;
import org.wishengine.wish.auth.OrganiserToken;
import org.wishengine.wish.auth.Revocations;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.auth.TokenVerifier;

/** Who may call what (API.md section 3.3), decided in one place for every audience. */
class AuthenticatorTest {

    private static final String SECRET = "authenticator-test-secret-0123456789";
    private final InMemoryRevocationSource revoked = new InMemoryRevocationSource();
    private final Revocations revocations = new Revocations(revoked, Clock.systemUTC(), TokenVerifier.DEFAULT_LEEWAY);
    private final Authenticator auth = new Authenticator(new TokenVerifier(SECRET, Clock.systemUTC()),
            new AdminTokenCheck("organiser-token"), revocations);
    private final String user = "Bearer " + new TokenMinter(SECRET).mint("alice");
    private final String organiser = "Bearer organiser-token";
    private final String forged = "Bearer " + new TokenMinter("another-secret-0123456789abcdef").mint("alice");
    private final OrganiserToken townToken = new TokenMinter(SECRET).mintOrganiser("town-zhujing", Duration.ofDays(30));
    private final String town = "Bearer " + townToken.token();
    private final String forgedTown = "Bearer " + new TokenMinter("another-secret-0123456789abcdef")
            .mintOrganiser("town-zhujing", Duration.ofDays(30)).token();
    private final String expiredTown = "Bearer " + new TokenMinter(SECRET,
            Clock.offset(Clock.systemUTC(), Duration.ofDays(-2))).mintOrganiser("town-zhujing", Duration.ofDays(1)).token();

    private String verdict(Route.Audience audience, String header) {
        return describe(auth.check(audience, header));
    }

    private String verdict(Route route, String header) {
        return describe(auth.check(route, header));
    }

    private static String describe(Authenticator.Access access) {
        if (access instanceof Authenticator.Granted granted) {
            Actor actor = granted.actor();
            if (actor.organiser()) {
                return actor.org() == null ? "organiser" : "organiser of " + actor.org();
            }
            return actor.userId() == null ? "public" : "user " + actor.userId();
        }
        Authenticator.Denied denied = (Authenticator.Denied) access;
        return denied.status().code() + " " + denied.code() + (denied.challenge() ? " (challenge)" : "");
    }

    private String message(Route.Audience audience, String header) {
        return ((Authenticator.Denied) auth.check(audience, header)).message();
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
    void shouldAdmitAnOrganiserTokenAsAScopedOrganiserWhereOrganisersMayAct() {
        assertEquals("organiser of town-zhujing", verdict(Route.Audience.ORGANISER, town));
        assertEquals("organiser of town-zhujing", verdict(Route.Audience.USER_OR_ORGANISER, town));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.ORGANISER, forgedTown));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.USER_OR_ORGANISER, forgedTown));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.ORGANISER, expiredTown));
        assertEquals("the token has expired", message(Route.Audience.ORGANISER, expiredTown));
        assertEquals("an organiser token is required", message(Route.Audience.ORGANISER, "Bearer wrong-admin-token"));
    }

    @Test
    void shouldRefuseAnOrganiserTokenOnUserRoutes() {
        assertEquals("403 forbidden", verdict(Route.Audience.USER, town));
        assertEquals("this route is for users, not organisers", message(Route.Audience.USER, town));
        assertEquals("401 unauthorized (challenge)", verdict(Route.Audience.USER, forgedTown));
    }

    @Test
    void shouldRefuseARevokedOrganiserTokenOnceTheListIsRefreshed() throws Exception {
        revoked.revoke(townToken);
        assertEquals("organiser of town-zhujing", verdict(Route.Audience.ORGANISER, town), "not refreshed yet");
        revocations.refresh();
        for (Route.Audience audience : new Route.Audience[] {Route.Audience.ORGANISER,
                Route.Audience.USER_OR_ORGANISER}) {
            assertEquals("401 unauthorized (challenge)", verdict(audience, town));
            assertEquals("the token has been revoked", message(audience, town));
        }
        assertEquals("403 forbidden", verdict(Route.Audience.USER, town));
        String another = "Bearer " + new TokenMinter(SECRET).mintOrganiser("town-zhujing", Duration.ofDays(1)).token();
        assertEquals("organiser of town-zhujing", verdict(Route.Audience.ORGANISER, another), "only that jti");
        assertEquals("organiser", verdict(Route.Audience.ORGANISER, organiser));
    }

    @Test
    void shouldAdmitScopedOrganisersOnEveryOrganiserRouteThatHandsTheScopeToTheBook() {
        int scoped = 0;
        for (Route route : Route.values()) {
            switch (route.audience) {
                case ORGANISER, USER_OR_ORGANISER -> {
                    if (route == Route.ORG_TOKENS || route == Route.REVOKE_TOKEN) {
                        Authenticator.Access access = auth.check(route, town);
                        assertEquals("403 forbidden", describe(access), route.name());
                        assertEquals("only the district administrator issues and revokes organiser tokens",
                                ((Authenticator.Denied) access).message(), route.name());
                        assertEquals("organiser", verdict(route, organiser), route.name());
                        continue;
                    }
                    assertTrue(Authenticator.SCOPE_AWARE.contains(route), route + " ignores the organiser's scope");
                    assertEquals("organiser of town-zhujing", verdict(route, town), route.name());
                    assertEquals("organiser", verdict(route, organiser), route.name());
                    scoped++;
                }
                case USER -> assertEquals("403 forbidden", verdict(route, town), route.name());
                case PUBLIC -> assertEquals("public", verdict(route, town), route.name());
            }
        }
        assertTrue(scoped >= 11, "expected the organiser routes, saw " + scoped);
        assertEquals("user alice", verdict(Route.GET_CLAIM, user));
        assertEquals("403 forbidden", verdict(Route.CREATE_CAMPAIGN, user));
        assertEquals("403 forbidden", verdict(Route.CREATE_ORG, user));
    }

    @Test
    void shouldTellWhoamiWhichOrgAnOrganiserActsFor() throws Exception {
        assertEquals("{\"role\":\"organiser\",\"org\":\"town-zhujing\"}", whoami(Actor.organiser("town-zhujing")));
        assertEquals("{\"role\":\"organiser\",\"org\":null}", whoami(Actor.ORGANISER));
    }

    private static String whoami(Actor actor) throws Exception {
        ApiRequest request = new ApiRequest(null, Route.WHOAMI, null, new QueryStringDecoder("/api/admin/whoami"), actor,
                0, 0, "127.0.0.1", UnpooledByteBufAllocator.DEFAULT);
        Action.Respond answer = (Action.Respond) new Endpoints(null, null, null, null, null).of(Route.WHOAMI)
                .handle(request);
        try {
            assertEquals(200, answer.response().status().code());
            return answer.response().content().toString(StandardCharsets.UTF_8);
        } finally {
            answer.response().release();
        }
    }

    @Test
    void shouldGiveEveryRouteAnEndpoint() {
        // Endpoints refuses to be built with a route left out; building it is the check.
        new Endpoints(null, null, null, null, null);
    }
}
