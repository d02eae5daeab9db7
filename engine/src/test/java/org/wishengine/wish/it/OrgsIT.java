package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.MAPPER;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;

/**
 * Issue 18 end to end on a real Redis: the district administrator builds district → two towns →
 * communities; each town's organiser (a token minted for its town) publishes and manages only its
 * own subtree and is refused (403) on the other's; the district sees both; statistics per subtree
 * equal a recount from the claim ledgers; and an engine restart keeps the tree, the campaigns'
 * orgs, the scopes and the statistics.
 */
@Timeout(90)
class OrgsIT {

    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    private static final String[] STATS_FIELDS = {"campaigns", "wishes", "units", "remaining", "claimed", "fulfilled",
            "confirmed", "cancelled", "expired", "rated"};

    @TempDir
    Path tmp;

    private EngineHarness harness;

    @Test
    void shouldScopeTwoTownsAndKeepTreeScopesAndStatsAcrossARestart() throws Exception {
        try (EngineHarness started = EngineHarness.start(tmp)) {
            harness = started;
            buildTree();
            TokenMinter minter = new TokenMinter(EngineHarness.TOKEN_SECRET);
            String north = minter.mintOrganiser("town-north", Duration.ofDays(1)).token();
            String south = minter.mintOrganiser("town-south", Duration.ofDays(1)).token();

            // Each town publishes under its own subtree: a community, or (no org) the town itself.
            assertEquals("com-n1", publish(north, "cn", "com-n1", "cn-w", 201).get("org").asText());
            assertEquals("town-north", publish(north, "cn-town", null, "cnt-w", 201).get("org").asText(),
                    "a scoped organiser's campaign without org is its own town's");
            publish(south, "cs", "com-s1", "cs-w", 201);
            publish(ADMIN, "cd", null, "cd-w", 201); // the district's own, of no org
            assertForbidden(publish(north, "cx", "com-s1", "cx-w", 403), "org com-s1 is outside your organisation's scope");
            assertEquals("unknown_org", publish(ADMIN, "cy", "nowhere", "cy-w", 400).get("error").asText());
            assertTrue(publish(north, "cz", "town-south", "cz-w", 403).has("message"));
            assertEquals(403, send("POST", "/api/orgs", north, "{\"id\":\"com-x\",\"name\":\"X\",\"parent\":\"town-south\"}")
                    .statusCode(), "no child under the other town");
            assertEquals(201, send("POST", "/api/orgs", north, "{\"id\":\"com-n3\",\"name\":\"N3\",\"parent\":\"town-north\"}")
                    .statusCode(), "a child under its own town");
            assertEquals(403, send("PUT", "/api/orgs", north, "{\"orgs\":[{\"id\":\"z\",\"name\":\"Z\"}]}").statusCode(),
                    "loading a tree is the administrator's alone");

            // Users claim in every campaign; each town moves its own claims on.
            String n1 = claim("alice", "cn-w1");
            String n2 = claim("bob", "cn-w1");
            String n3 = claim("carol", "cnt-w1");
            String s1 = claim("alice", "cs-w1");
            String s2 = claim("bob", "cs-w2");
            claim("dave", "cd-w1");
            assertEquals(200, send("POST", "/api/claims/" + n1 + "/fulfil", north, null).statusCode());
            assertEquals(200, send("POST", "/api/claims/" + n1 + "/confirm", north, "{\"rating\":5}").statusCode());
            assertEquals(200, send("POST", "/api/claims/" + n3 + "/cancel", north, null).statusCode());
            assertEquals(200, send("POST", "/api/claims/" + s1 + "/fulfil", south, null).statusCode());
            assertEquals(200, send("POST", "/api/claims/" + s1 + "/confirm", south, "{\"rating\":2}").statusCode());

            assertScopes(north, south, n2, s2);
            Map<String, JsonNode> before = checkStats();
            JsonNode treeBefore = json(harness.get("/api/orgs", null));

            harness.stopEngine();
            harness.startEngine();

            assertEquals(treeBefore, json(harness.get("/api/orgs", null)), "the tree survives a restart");
            assertEquals("com-n1", json(harness.get("/api/campaigns/cn", null)).get("org").asText());
            assertEquals("com-s1", json(harness.get("/api/campaigns/cs", null)).get("org").asText());
            assertFalse(json(harness.get("/api/campaigns/cd", null)).has("org"));
            assertScopes(north, south, n2, s2);
            assertEquals(before, checkStats(), "statistics per subtree survive a restart");
            // And the tree is still editable after it: the recovered epoch writes.
            assertEquals(200, send("PATCH", "/api/orgs/com-n3", ADMIN, "{\"name\":\"N3 renamed\"}").statusCode());
            assertEquals(200, send("POST", "/api/orgs/com-n3/retire", north, null).statusCode());
        }
    }

    /** The district administrator builds the tree and meets each refusal of the tree's rules. */
    private void buildTree() throws Exception {
        HttpResponse<String> loaded = send("PUT", "/api/orgs", ADMIN, "{\"orgs\":["
                + "{\"id\":\"town-north\",\"name\":\"North town\",\"parent\":\"district\"},"
                + "{\"id\":\"district\",\"name\":\"金山区\"},"
                + "{\"id\":\"town-south\",\"name\":\"South town\",\"parent\":\"district\"}]}");
        assertEquals(200, loaded.statusCode(), loaded.body());
        assertEquals(3, json(loaded).get("orgs").size());
        for (String[] community : new String[][] {{"com-n1", "town-north"}, {"com-n2", "town-north"},
                {"com-s1", "town-south"}, {"com-s2", "town-south"}}) {
            HttpResponse<String> created = send("POST", "/api/orgs", ADMIN, "{\"id\":\"" + community[0]
                    + "\",\"name\":\"Community " + community[0] + "\",\"parent\":\"" + community[1] + "\"}");
            assertEquals(201, created.statusCode(), created.body());
            assertEquals(community[1], json(created).get("parent").asText());
        }
        assertError(send("POST", "/api/orgs", ADMIN, "{\"id\":\"com-n1\",\"name\":\"Again\",\"parent\":\"town-north\"}"),
                409, "already_exists");
        assertError(send("POST", "/api/orgs", ADMIN, "{\"id\":\"com-q\",\"name\":\"Q\",\"parent\":\"nowhere\"}"),
                400, "unknown_parent");
        assertError(send("PUT", "/api/orgs", ADMIN, "{\"orgs\":[{\"id\":\"loop-a\",\"name\":\"A\",\"parent\":\"loop-b\"},"
                + "{\"id\":\"loop-b\",\"name\":\"B\",\"parent\":\"loop-a\"}]}"), 400, "cycle");
        HttpResponse<String> badId = send("POST", "/api/orgs", ADMIN, "{\"id\":\"no spaces\",\"name\":\"Q\"}");
        assertError(badId, 400, "invalid_request");
        assertEquals("id", json(badId).get("field").asText());
        assertError(send("POST", "/api/orgs/town-north/retire", ADMIN, null), 409, "has_children");
        assertError(send("POST", "/api/orgs/nowhere/retire", ADMIN, null), 404, "not_found");
        assertError(send("PATCH", "/api/orgs/nowhere", ADMIN, "{\"name\":\"N\"}"), 404, "not_found");
        assertEquals(200, send("PATCH", "/api/orgs/com-n2", ADMIN, "{\"name\":\"Community N2\"}").statusCode());
        assertEquals(200, send("POST", "/api/orgs/com-s2/retire", ADMIN, null).statusCode());
        assertError(send("POST", "/api/orgs", ADMIN, "{\"id\":\"svc-1\",\"name\":\"S\",\"parent\":\"com-s2\"}"),
                400, "retired_parent");
        assertError(send("POST", "/api/orgs", harness.userToken("alice"), "{\"id\":\"u\",\"name\":\"U\"}"),
                403, "forbidden");

        JsonNode tree = json(harness.get("/api/orgs", null)).get("orgs");
        Map<String, JsonNode> byId = new HashMap<>();
        tree.forEach(org -> byId.put(org.get("id").asText(), org));
        assertEquals(7, tree.size(), tree.toString());
        assertEquals("district", tree.get(0).get("id").asText(), "each org after its parent");
        assertFalse(byId.get("district").has("parent"));
        assertTrue(byId.get("com-s2").get("retired").asBoolean());
        assertEquals("org_retired", publish(ADMIN, "cr", "com-s2", "cr-w", 409).get("error").asText());
    }

    /** Each town reaches its own claims and ledgers only; the district reaches both. */
    private void assertScopes(String north, String south, String northClaim, String southClaim) throws Exception {
        for (String[] crossed : new String[][] {{north, southClaim, "cs"}, {south, northClaim, "cn"}}) {
            String token = crossed[0];
            String claimId = crossed[1];
            assertForbidden(json(expect(403, send("GET", "/api/campaigns/" + crossed[2] + "/claims", token, null))),
                    "this campaign is outside your organisation's scope");
            expect(403, send("GET", "/api/campaigns/" + crossed[2] + "/claims?format=csv", token, null));
            assertForbidden(json(expect(403, send("GET", "/api/claims/" + claimId, token, null))),
                    "this claim's campaign is outside your organisation's scope");
            expect(403, send("POST", "/api/claims/" + claimId + "/fulfil", token, null));
            expect(403, send("POST", "/api/claims/" + claimId + "/confirm", token, "{\"rating\":4}"));
            expect(403, send("POST", "/api/claims/" + claimId + "/cancel", token, null));
            expect(403, send("GET", "/api/campaigns/cd/claims", token, null)); // the district's own
        }
        expect(200, send("GET", "/api/campaigns/cn/claims", north, null));
        expect(200, send("GET", "/api/claims/" + northClaim, north, null));
        expect(200, send("GET", "/api/campaigns/cs/claims?format=csv", south, null));
        expect(200, send("GET", "/api/claims/" + southClaim, south, null));
        for (String campaign : List.of("cn", "cn-town", "cs", "cd")) {
            expect(200, send("GET", "/api/campaigns/" + campaign + "/claims", ADMIN, null));
        }
        expect(200, send("GET", "/api/claims/" + northClaim, ADMIN, null));
        // A user still sees only their own claim, with the user's wording.
        JsonNode notYours = json(expect(403, send("GET", "/api/claims/" + northClaim, harness.userToken("alice"), null)));
        assertEquals("this is not your claim", notYours.get("message").asText());
    }

    /**
     * The district shows both towns side by side, a town its communities, each equal to a recount
     * from the administrator's ledgers and campaigns; returns every subtree's statistics.
     */
    private Map<String, JsonNode> checkStats() throws Exception {
        Map<String, String> parents = new HashMap<>();
        json(harness.get("/api/orgs", null)).get("orgs").forEach(org ->
                parents.put(org.get("id").asText(), org.has("parent") ? org.get("parent").asText() : null));
        Map<String, Map<String, Long>> recount = new HashMap<>();
        for (JsonNode campaign : json(harness.get("/api/campaigns", null)).get("campaigns")) {
            Map<String, Long> counts = new HashMap<>();
            counts.put("campaigns", 1L);
            counts.put("wishes", campaign.get("wishCount").asLong());
            counts.put("units", campaign.get("units").asLong());
            long active = 0;
            for (JsonNode claim : json(harness.get("/api/campaigns/" + campaign.get("id").asText() + "/claims", ADMIN))
                    .get("claims")) {
                String status = claim.get("status").asText();
                counts.merge(status, 1L, Long::sum);
                if (status.equals("claimed") || status.equals("fulfilled") || status.equals("confirmed")) {
                    active++;
                }
                if (claim.has("rating")) {
                    counts.merge("rated", 1L, Long::sum);
                }
            }
            counts.put("remaining", counts.get("units") - active);
            String at = campaign.has("org") ? campaign.get("org").asText() : null;
            for (; at != null; at = parents.get(at)) { // the campaign counts to its org and every ancestor
                Map<String, Long> into = recount.computeIfAbsent(at, k -> new HashMap<>());
                counts.forEach((field, n) -> into.merge(field, n, Long::sum));
            }
        }
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (String org : List.of("district", "town-north", "town-south")) {
            JsonNode stats = json(expect(200, harness.get("/api/stats?org=" + org, null)));
            all.put(org, stats);
            assertCounts(recount.get(org), stats, org);
            for (JsonNode child : stats.get("children")) {
                assertEquals(org, parents.get(child.get("org").asText()), "children are the org's own");
                assertCounts(recount.getOrDefault(child.get("org").asText(), Map.of()), child, child.get("org").asText());
            }
        }
        List<String> towns = all.get("district").get("children").findValuesAsText("org");
        assertEquals(List.of("town-north", "town-south"), towns, "the district shows both towns side by side");
        assertEquals(List.of("com-n1", "com-n2", "com-n3"), all.get("town-north").get("children").findValuesAsText("org"));
        assertEquals(1.0, all.get("town-north").get("satisfaction").asDouble());
        assertEquals(0.0, all.get("town-south").get("satisfaction").asDouble());
        assertError(harness.get("/api/stats?org=nowhere", null), 404, "not_found");
        // The wall filtered by a town shows its communities' wishes and its own, nothing else.
        JsonNode wall = json(harness.get("/api/wishes?org=town-north&limit=100", null)).get("wishes");
        assertEquals(List.of("cn", "cn", "cn-town", "cn-town"), wall.findValuesAsText("campaignId"));
        return all;
    }

    private static void assertCounts(Map<String, Long> expected, JsonNode stats, String org) {
        for (String field : STATS_FIELDS) {
            assertEquals(expected.getOrDefault(field, 0L), stats.get(field).asLong(), org + "." + field + " in " + stats);
        }
    }

    private JsonNode publish(String token, String id, String org, String wishPrefix, int status) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(campaignBody(id, 2, wishPrefix, List.of(3, 2)));
        if (org != null) {
            body.put("org", org);
        }
        return json(expect(status, send("POST", "/api/campaigns", token, body.toString())));
    }

    private String claim(String user, String wishId) throws Exception {
        return json(expect(201, send("POST", "/api/wishes/" + wishId + "/claims", harness.userToken(user), null)))
                .get("id").asText();
    }

    private HttpResponse<String> send(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        return harness.send(method, path, token, body);
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        return EngineHarness.expect(status, response);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        expect(status, response);
        assertEquals(code, json(response).get("error").asText(), response.body());
    }

    private static void assertForbidden(JsonNode body, String message) {
        assertEquals("forbidden", body.get("error").asText(), body.toString());
        assertEquals(message, body.get("message").asText());
    }
}
