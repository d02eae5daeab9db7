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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail (API.md 6.18) end to end on a real Redis: the administrator loads a district
 * with two towns and issues their organiser tokens (and revokes a third); each town's organiser
 * publishes and moves claims on; each reads exactly its own subtree's records, newest first, and
 * is refused (403) another's; the administrator reads them all, page by page; the claimers' own
 * steps leave no record; and every record survives an engine restart.
 */
@Timeout(90)
class AuditIT {

    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;

    @TempDir
    Path tmp;

    private EngineHarness harness;

    @Test
    void shouldRecordOrganiserActionsAndShowEachTownOnlyItsOwn() throws Exception {
        try (EngineHarness started = EngineHarness.start(tmp)) {
            harness = started;
            expect(200, send("PUT", "/api/orgs", ADMIN, "{\"orgs\":["
                    + "{\"id\":\"district\",\"name\":\"金山区\"},"
                    + "{\"id\":\"town-north\",\"name\":\"North\",\"parent\":\"district\"},"
                    + "{\"id\":\"com-n1\",\"name\":\"N1\",\"parent\":\"town-north\"},"
                    + "{\"id\":\"town-south\",\"name\":\"South\",\"parent\":\"district\"},"
                    + "{\"id\":\"com-s1\",\"name\":\"S1\",\"parent\":\"town-south\"}]}"));
            JsonNode northToken = json(expect(201, send("POST", "/api/orgs/town-north/tokens", ADMIN, null)));
            String north = northToken.get("token").asText();
            String south = json(expect(201, send("POST", "/api/orgs/town-south/tokens", ADMIN, null))).get("token").asText();
            String lost = json(expect(201, send("POST", "/api/orgs/com-n1/tokens", ADMIN, null))).get("jti").asText();
            expect(200, send("DELETE", "/api/tokens/" + lost, ADMIN, null));

            publish(north, "cn", "com-n1", "cn-w");
            publish(south, "cs", "com-s1", "cs-w");
            String delivered = claim("alice", "cn-w1");
            String given = claim("bob", "cn-w1");
            String own = claim("carol", "cs-w1");
            String dropped = claim("dave", "cs-w1");
            expect(200, send("POST", "/api/claims/" + delivered + "/fulfil", north, null));
            expect(200, send("POST", "/api/claims/" + delivered + "/confirm", north, "{\"rating\":5}"));
            expect(200, send("POST", "/api/claims/" + given + "/cancel", north, null));
            expect(200, send("POST", "/api/claims/" + own + "/fulfil", harness.userToken("carol"), null));
            expect(200, send("POST", "/api/claims/" + dropped + "/cancel", harness.userToken("dave"), null));
            String undone = claim("erin", "cs-w2");
            expect(200, send("POST", "/api/claims/" + undone + "/cancel", south, null));
            expect(201, send("POST", "/api/orgs", north, "{\"id\":\"com-n2\",\"name\":\"N2\",\"parent\":\"town-north\"}"));

            List<String> northExpected = List.of(
                    "org-create organiser:town-north com-n2 com-n2 N2 under town-north",
                    "cancel organiser:town-north com-n1 " + given + " null",
                    "confirm organiser:town-north com-n1 " + delivered + " rating 5",
                    "fulfil organiser:town-north com-n1 " + delivered + " null",
                    "publish organiser:town-north com-n1 cn 2 wishes",
                    "token-revoke admin com-n1 " + lost + " expires",
                    "token-issue admin com-n1 " + lost + " expires",
                    "token-issue admin town-north " + northToken.get("jti").asText() + " expires");
            List<String> southExpected = List.of(
                    "cancel organiser:town-south com-s1 " + undone + " null",
                    "publish organiser:town-south com-s1 cs 2 wishes",
                    "token-issue admin town-south");
            assertEquals(northExpected, summaries(read("/api/audit", north)), "the north town's subtree, by default");
            assertEquals(northExpected.subList(1, 7), summaries(read("/api/audit?org=com-n1", north)));
            assertEquals(southExpected, summaries(read("/api/audit?org=town-south", south)));
            assertForbidden(send("GET", "/api/audit?org=town-south", north, null));
            assertForbidden(send("GET", "/api/audit?org=district", south, null));
            assertForbidden(send("GET", "/api/audit?org=nowhere", south, null));
            expect(403, send("GET", "/api/audit", harness.userToken("alice"), null));
            expect(404, send("GET", "/api/audit?org=nowhere", ADMIN, null));
            expect(400, send("GET", "/api/audit?limit=0", ADMIN, null));
            expect(400, send("GET", "/api/audit?limit=1001", ADMIN, null));
            expect(400, send("GET", "/api/audit?cursor=x", ADMIN, null));

            List<JsonNode> all = read("/api/audit", ADMIN);
            assertEquals(1 + northExpected.size() + southExpected.size(), all.size(), all.toString());
            JsonNode load = all.get(all.size() - 1);
            assertEquals("org-load admin district district 5 orgs", summary(load), "the oldest record");
            assertEquals(all, read("/api/audit?org=district", ADMIN), "the district's subtree is everything here");
            assertEquals(all, pages(3), "pages of three, following nextCursor, add up to the whole trail");
            for (JsonNode record : all) {
                assertTrue(record.get("at").asText().endsWith("Z"), record.toString());
                assertFalse(summary(record).contains(own) || summary(record).contains(dropped),
                        "the claimers' own steps leave no record: " + record);
            }

            harness.stopEngine();
            harness.startEngine();
            assertEquals(all, read("/api/audit", ADMIN), "the trail survives a restart");
            assertEquals(northExpected, summaries(read("/api/audit", north)));
            expect(200, send("PATCH", "/api/orgs/com-n2", north, "{\"name\":\"N2 renamed\"}"));
            assertEquals("org-rename organiser:town-north com-n2 com-n2 N2 renamed",
                    summary(read("/api/audit?limit=1", north).get(0)), "the restarted writer records on");
        }
    }

    /** Every record the administrator reads, {@code limit} at a time. */
    private List<JsonNode> pages(int limit) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = json(expect(200, send("GET", "/api/audit?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN, null)));
            assertTrue(page.get("records").size() <= limit);
            page.get("records").forEach(all::add);
            cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        return all;
    }

    private List<JsonNode> read(String path, String token) throws Exception {
        JsonNode page = json(expect(200, send("GET", path, token, null)));
        List<JsonNode> records = new ArrayList<>();
        page.get("records").forEach(records::add);
        return records;
    }

    /** action, actor, org, subject, detail, with the detail of a token cut to its first word. */
    private static String summary(JsonNode record) {
        String detail = record.get("detail").isNull() ? "null" : record.get("detail").asText();
        if (record.get("action").asText().startsWith("token-")) {
            detail = detail.split(" ")[0];
        }
        return record.get("action").asText() + " " + record.get("actor").asText() + " " + record.get("org").asText()
                + " " + record.get("subject").asText() + " " + detail;
    }

    private static List<String> summaries(List<JsonNode> records) {
        List<String> summaries = new ArrayList<>();
        for (JsonNode record : records) {
            String summary = summary(record);
            // The south town's token id is not known to the test: compare what it can know.
            summaries.add(summary.startsWith("token-issue admin town-south") ? "token-issue admin town-south" : summary);
        }
        return summaries;
    }

    private void publish(String token, String id, String org, String wishPrefix) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(campaignBody(id, 2, wishPrefix, List.of(3, 2)));
        body.put("org", org);
        expect(201, send("POST", "/api/campaigns", token, body.toString()));
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

    private static void assertForbidden(HttpResponse<String> response) {
        assertEquals("forbidden", json(expect(403, response)).get("error").asText());
    }
}
