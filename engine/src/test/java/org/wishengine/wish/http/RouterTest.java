package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    private final Router router = new Router();

    static Stream<Arguments> everyRoute() {
        return Stream.of(
                Arguments.of("GET", "/api/campaigns", Route.LIST_CAMPAIGNS, null),
                Arguments.of("POST", "/api/campaigns", Route.CREATE_CAMPAIGN, null),
                Arguments.of("GET", "/api/campaigns/c-2026-12", Route.GET_CAMPAIGN, "c-2026-12"),
                Arguments.of("GET", "/api/campaigns/c-1/claims", Route.CAMPAIGN_CLAIMS, "c-1"),
                Arguments.of("GET", "/api/campaigns/c-1/draw", Route.CAMPAIGN_DRAW, "c-1"),
                Arguments.of("GET", "/api/wishes", Route.LIST_WISHES, null),
                Arguments.of("GET", "/api/wishes/w-001", Route.GET_WISH, "w-001"),
                Arguments.of("POST", "/api/wishes/w-001/claims", Route.CLAIM_WISH, "w-001"),
                Arguments.of("GET", "/api/claims/cl-7", Route.GET_CLAIM, "cl-7"),
                Arguments.of("POST", "/api/claims/cl-7/cancel", Route.CANCEL_CLAIM, "cl-7"),
                Arguments.of("POST", "/api/claims/cl-7/fulfil", Route.FULFIL_CLAIM, "cl-7"),
                Arguments.of("POST", "/api/claims/cl-7/confirm", Route.CONFIRM_CLAIM, "cl-7"),
                Arguments.of("GET", "/api/me/claims", Route.MY_CLAIMS, null),
                Arguments.of("GET", "/api/me/entries", Route.MY_ENTRIES, null),
                Arguments.of("POST", "/api/orgs/town-a/tokens", Route.ORG_TOKENS, "town-a"),
                Arguments.of("DELETE", "/api/tokens/AbC_12-x", Route.REVOKE_TOKEN, "AbC_12-x"),
                Arguments.of("GET", "/api/stats", Route.STATS, null),
                Arguments.of("GET", "/api/orgs", Route.LIST_ORGS, null),
                Arguments.of("POST", "/api/orgs", Route.CREATE_ORG, null),
                Arguments.of("PUT", "/api/orgs", Route.LOAD_ORGS, null),
                Arguments.of("PATCH", "/api/orgs/town-zhujing", Route.RENAME_ORG, "town-zhujing"),
                Arguments.of("POST", "/api/orgs/town-zhujing/retire", Route.RETIRE_ORG, "town-zhujing"),
                Arguments.of("GET", "/api/admin/whoami", Route.WHOAMI, null),
                Arguments.of("GET", "/api/audit", Route.AUDIT, null),
                Arguments.of("GET", "/api/events", Route.EVENTS, null),
                Arguments.of("GET", "/metrics", Route.METRICS, null),
                Arguments.of("GET", "/health/live", Route.LIVE, null),
                Arguments.of("GET", "/health/ready", Route.READY, null),
                Arguments.of("GET", "/", Route.WALL_PAGE, null),
                Arguments.of("GET", "/admin", Route.ADMIN_PAGE, null),
                Arguments.of("GET", "/assets/wall.js", Route.ASSET, "wall.js"));
    }

    @Test
    void shouldCoverEveryDeclaredRouteInTheTable() {
        long tested = everyRoute().map(a -> a.get()[2]).distinct().count();
        assertEquals(Route.values().length, tested, "every Route constant has a row in everyRoute()");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("everyRoute")
    void shouldMatchEveryRouteWithItsId(String method, String path, Route route, String id) {
        Router.Match match = router.match(HttpMethod.valueOf(method), path);
        assertTrue(match.found(), () -> "no match for " + method + " " + path);
        assertFalse(match.wrongMethod());
        assertEquals(route, match.route());
        assertEquals(id, match.id());
        assertNull(match.allow());
    }

    @ParameterizedTest(name = "{0} {1}/ -> {2}")
    @MethodSource("everyRoute")
    void shouldAcceptATrailingSlashOnEveryRoute(String method, String path, Route route, String id) {
        // "/" already ends in a slash; "//" is not a path of ours.
        Router.Match match = router.match(HttpMethod.valueOf(method), path.equals("/") ? path : path + "/");
        assertEquals(route, match.route());
        assertEquals(id, match.id());
    }

    @Test
    void shouldAnswerWhichMethodsTheOrgPathsTake() {
        assertEquals("GET, POST, PUT", router.match(HttpMethod.DELETE, "/api/orgs").allow());
        assertEquals("PATCH", router.match(HttpMethod.GET, "/api/orgs/district").allow());
        assertEquals("POST", router.match(HttpMethod.GET, "/api/orgs/district/retire").allow());
    }

    @Test
    void shouldBindIdsOfEveryAllowedShape() {
        String longest = "a".repeat(64);
        assertEquals(longest, router.match(HttpMethod.GET, "/api/wishes/" + longest).id());
        assertEquals("A_z-9", router.match(HttpMethod.GET, "/api/wishes/A_z-9").id());
        assertEquals("x", router.match(HttpMethod.POST, "/api/wishes/x/claims").id());
    }

    @Test
    void shouldBindIdsVerbatimWithoutJudgingThem() {
        // Whether such an id names anything is the book's business: each simply finds nothing.
        assertEquals("cl-01", router.match(HttpMethod.GET, "/api/claims/cl-01").id());
        assertEquals("a.b", router.match(HttpMethod.GET, "/api/wishes/a.b").id());
        assertEquals("..", router.match(HttpMethod.GET, "/api/wishes/..").id());
    }

    @ParameterizedTest(name = "{0} {1} matches no route")
    @MethodSource("escapedOrForeignSegments")
    void shouldMatchNoRouteWhenASegmentIsEscapedOrHasForeignCharacters(String method, String path) {
        // Paths arrive as written. "%2F" once decoded into a slash, so POST /api/wishes/g5%2Fclaims
        // claimed wish g5; now an escape is just a character no id or literal segment contains:
        // 404, never 405, as no route has such a path with any method.
        Router.Match match = router.match(HttpMethod.valueOf(method), path);
        assertFalse(match.found(), () -> method + " " + path + " matched " + match.route());
        assertFalse(match.wrongMethod(), () -> method + " " + path + " should be unknown, not a wrong method");
    }

    static Stream<Arguments> escapedOrForeignSegments() {
        return Stream.of(
                Arguments.of("POST", "/api/wishes/g5%2Fclaims"),
                Arguments.of("POST", "/api/wishes/g5%2fclaims"),
                Arguments.of("GET", "/api%2Fclaims/cl-1"),
                Arguments.of("GET", "/api/claims/%63l-1"),
                Arguments.of("GET", "/api/%63laims/cl-1"),
                Arguments.of("POST", "/api/claims/cl-1%2Fcancel"),
                Arguments.of("GET", "/api/wishes/a%20b"),
                Arguments.of("GET", "/api/wishes/a b"),
                Arguments.of("GET", "/api/claims/é"),
                Arguments.of("GET", "/api/wishes/w~1"),
                Arguments.of("GET", "/api/wishes/%"),
                Arguments.of("GET", "/assets/wall%2Ejs"),
                Arguments.of("GET", "/health%2Flive"));
    }

    @Test
    void shouldNotTreatALiteralSegmentAsAnId() {
        // "/api/wishes/claims" is a wish called "claims", not the claims of some wish.
        Router.Match match = router.match(HttpMethod.GET, "/api/wishes/claims");
        assertEquals(Route.GET_WISH, match.route());
        assertEquals("claims", match.id());
    }

    @Test
    void shouldListBothMethodsInAllowForCampaignsCollection() {
        Router.Match match = router.match(HttpMethod.DELETE, "/api/campaigns");
        assertFalse(match.found());
        assertTrue(match.wrongMethod());
        assertEquals("GET, POST", match.allow());
        assertNull(match.route());
        assertNull(match.id());
    }

    @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
    @MethodSource("wrongMethods")
    void shouldListAllowedMethodsForAKnownPathWithAWrongMethod(String method, String path, String allow) {
        Router.Match match = router.match(HttpMethod.valueOf(method), path);
        assertFalse(match.found());
        assertTrue(match.wrongMethod(), () -> method + " " + path + " should be a wrong method");
        assertEquals(allow, match.allow());
    }

    static Stream<Arguments> wrongMethods() {
        return Stream.of(
                Arguments.of("PUT", "/api/campaigns", "GET, POST"),
                Arguments.of("PUT", "/api/campaigns/", "GET, POST"),
                Arguments.of("DELETE", "/api/campaigns/c-1", "GET"),
                Arguments.of("POST", "/api/campaigns/c-1/claims", "GET"),
                Arguments.of("POST", "/api/wishes", "GET"),
                Arguments.of("PATCH", "/api/wishes/w-1", "GET"),
                Arguments.of("GET", "/api/wishes/w-1/claims", "POST"),
                Arguments.of("DELETE", "/api/claims/cl-1", "GET"),
                Arguments.of("GET", "/api/claims/cl-1/cancel", "POST"),
                Arguments.of("GET", "/api/claims/cl-1/fulfil", "POST"),
                Arguments.of("GET", "/api/claims/cl-1/confirm", "POST"),
                Arguments.of("POST", "/api/me/claims", "GET"),
                Arguments.of("POST", "/api/stats", "GET"),
                Arguments.of("POST", "/api/events", "GET"),
                Arguments.of("POST", "/metrics", "GET"),
                Arguments.of("HEAD", "/health/live", "GET"),
                Arguments.of("OPTIONS", "/health/ready", "GET"));
    }

    @ParameterizedTest(name = "GET \"{0}\" is unknown")
    @ValueSource(strings = {
        "", "//", "api/campaigns", "/api", "/api/", "/API/campaigns", "/api/campaign",
        "/api/campaigns//claims", "/api/campaigns//", "/api/campaigns/c-1/wishes", "/api/campaigns/c-1/claims/x",
        "/api/wishes//claims", "/api/claims/cl-1/delete", "/api/me", "/api/me/claims/x", "/health",
        "/health/live/x", "/metrics/x", "/api/campaigns/c-1//", "/favicon.ico"})
    void shouldNotMatchUnknownPaths(String path) {
        Router.Match match = router.match(HttpMethod.GET, path);
        assertFalse(match.found());
        assertFalse(match.wrongMethod(), () -> "\"" + path + "\" should be unknown, not a wrong method");
        assertNull(match.route());
        assertNull(match.allow());
    }

    @Test
    void shouldNotMatchUnknownPathsWithAnyMethod() {
        for (HttpMethod method : Arrays.asList(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE)) {
            Router.Match match = router.match(method, "/api/nothing-here");
            assertFalse(match.found());
            assertFalse(match.wrongMethod());
        }
    }
}
