package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.MAPPER;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.auth.TokenMinter;

/**
 * The organiser network on a real Redis Cluster (3 masters, started by the test) with two engine
 * nodes in this JVM: the tree lives in the cluster's registry, so an edit made on one node is
 * judged and seen on the other; edits racing on both nodes all land, one id once; campaigns of
 * two towns land wherever placement puts them and each town is refused (403) on the other's from
 * either node; statistics per subtree are summed over the nodes and equal on both; an org with an
 * open campaign on the other node cannot be retired; the audit trail is one for the cluster; and
 * a node that joins later holds the same tree and statistics.
 */
@Timeout(150)
class ClusterOrgsIT {

    private static final String ADMIN = EngineHarness.ADMIN_TOKEN;
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private RedisCluster cluster;
    private final List<EngineHarness> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        try {
            for (EngineHarness node : nodes) {
                node.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private EngineHarness node(String name) throws Exception {
        EngineHarness node = EngineHarness.startOnCluster(tmp.resolve(name), cluster.seedUris(), 0);
        nodes.add(node);
        return node;
    }

    @Test
    void shouldKeepOneTreeScopesStatsAndTrailOverTwoNodes() throws Exception {
        cluster = RedisCluster.start(tmp.resolve("cluster"), 3, 0);
        EngineHarness a = node("n1");
        EngineHarness b = node("n2");

        // The administrator loads the tree on one node; the other judges edits against it at once.
        expect(200, a.send("PUT", "/api/orgs", ADMIN, "{\"orgs\":["
                + "{\"id\":\"district\",\"name\":\"金山区\"},"
                + "{\"id\":\"town-north\",\"name\":\"North\",\"parent\":\"district\"},"
                + "{\"id\":\"town-south\",\"name\":\"South\",\"parent\":\"district\"},"
                + "{\"id\":\"com-n1\",\"name\":\"N1\",\"parent\":\"town-north\"},"
                + "{\"id\":\"com-s1\",\"name\":\"S1\",\"parent\":\"town-south\"}]}"));
        expect(201, b.send("POST", "/api/orgs", ADMIN, "{\"id\":\"com-n2\",\"name\":\"N2\",\"parent\":\"town-north\"}"));
        assertError(b.send("POST", "/api/orgs", ADMIN, "{\"id\":\"com-x\",\"name\":\"X\",\"parent\":\"nowhere\"}"),
                400, "unknown_parent");
        assertError(a.send("POST", "/api/orgs", ADMIN, "{\"id\":\"com-n2\",\"name\":\"Again\",\"parent\":\"town-north\"}"),
                409, "already_exists");

        // Edits racing on both nodes: every distinct org lands, a contested id exactly once.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                EngineHarness via = i % 2 == 0 ? a : b;
                String body = "{\"id\":\"svc-" + i + "\",\"name\":\"Point " + i + "\",\"parent\":\"com-n1\"}";
                answers.add(pool.submit(() -> via.send("POST", "/api/orgs", ADMIN, body).statusCode()));
            }
            List<Future<Integer>> contested = new ArrayList<>();
            for (EngineHarness via : List.of(a, b, a, b)) {
                Callable<Integer> create = () -> via.send("POST", "/api/orgs", ADMIN,
                        "{\"id\":\"svc-contested\",\"name\":\"C\",\"parent\":\"com-s1\"}").statusCode();
                contested.add(pool.submit(create));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(201, answer.get());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : contested) {
                statuses.add(answer.get());
            }
            statuses.sort(Integer::compare);
            assertEquals(List.of(201, 409, 409, 409), statuses, "one contested id is created once");
        } finally {
            pool.shutdownNow();
        }
        JsonNode tree = awaitTree(a, 19);
        assertEquals(tree, awaitTree(b, 19), "both nodes hold the same tree");

        // Each town publishes on "its" node; placement decides where the campaigns are settled.
        TokenMinter minter = new TokenMinter(EngineHarness.TOKEN_SECRET);
        String north = minter.mintOrganiser("town-north", Duration.ofDays(1)).token();
        String south = minter.mintOrganiser("town-south", Duration.ofDays(1)).token();
        publish(a, north, "cn", "com-n1", "cn-w", 201);
        publish(b, south, "cs", "com-s1", "cs-w", 201);
        publish(b, north, "cn2", "com-n2", "cn2-w", 201);
        assertError(publish(a, north, "cx", "com-s1", "cx-w", 403), 403, "forbidden");

        String n1 = claim(a, "alice", "cn-w1");
        String n2 = claim(b, "bob", "cn-w2");
        String s1 = claim(a, "carol", "cs-w1");
        claim(b, "dave", "cn2-w1");
        for (EngineHarness via : List.of(a, b)) {
            expect(403, via.send("POST", "/api/claims/" + s1 + "/fulfil", north, null));
            expect(403, via.send("GET", "/api/campaigns/cn/claims", south, null));
        }
        expect(200, b.send("POST", "/api/claims/" + n1 + "/fulfil", north, null));
        expect(200, a.send("POST", "/api/claims/" + n1 + "/confirm", north, "{\"rating\":5}"));
        expect(200, a.send("POST", "/api/claims/" + s1 + "/cancel", south, null));

        // Statistics per subtree are summed over the nodes: the same answer from each.
        JsonNode district = json(expect(200, a.get("/api/stats?org=district", ADMIN)));
        assertEquals(district, json(expect(200, b.get("/api/stats?org=district", ADMIN))));
        assertEquals(3, district.get("campaigns").asLong());
        assertEquals(List.of("town-north", "town-south"), district.get("children").findValuesAsText("org"));
        JsonNode northStats = json(expect(200, b.get("/api/stats?org=town-north", north)));
        assertEquals(2, northStats.get("campaigns").asLong());
        assertEquals(3, northStats.get("claimed").asLong() + northStats.get("confirmed").asLong(),
                northStats.toString());
        assertEquals(1, northStats.get("confirmed").asLong());
        assertEquals(1.0, northStats.get("satisfaction").asDouble());
        JsonNode southRow = district.get("children").get(1);
        assertEquals(1, southRow.get("cancelled").asLong(), southRow.toString());

        // An org with an open campaign cannot retire, whichever node holds the campaign.
        for (EngineHarness via : List.of(a, b)) {
            assertError(via.send("POST", "/api/orgs/com-n2/retire", ADMIN, null), 409, "has_open_campaigns");
        }
        // One without campaigns can, and then gets none on either node.
        expect(200, a.send("POST", "/api/orgs/svc-3/retire", north, null));
        assertError(publish(b, north, "cr", "svc-3", "cr-w", 409), 409, "org_retired");

        // One trail for the cluster: publishes, confirmations and tree edits made on either node.
        expect(201, b.send("POST", "/api/orgs/town-north/tokens", ADMIN, null));
        // A token for an org made on the other node a moment ago: the node reads the tree first.
        expect(201, b.send("POST", "/api/orgs", ADMIN, "{\"id\":\"com-s2\",\"name\":\"S2\",\"parent\":\"town-south\"}"));
        expect(201, a.send("POST", "/api/orgs/com-s2/tokens", ADMIN, null));
        JsonNode trail = json(expect(200, a.get("/api/audit?org=town-north&limit=100", north)));
        Set<String> actions = new HashSet<>(trail.get("records").findValuesAsText("action"));
        assertTrue(actions.containsAll(List.of("publish", "confirm", "org-create", "org-retire", "token-issue")),
                trail.toString());
        assertEquals(2, countOf(trail, "publish"), "each publish once: " + trail);
        assertEquals(json(a.get("/api/audit?org=town-north&limit=100", north)).get("records"),
                json(b.get("/api/audit?org=town-north&limit=100", north)).get("records"));
        expect(403, b.get("/api/audit?org=town-south", north));

        // A node that joins later holds the same tree and sums the same statistics.
        EngineHarness c = node("n3");
        assertEquals(tree.size() + 1, awaitTree(c, 20).size());
        assertEquals(awaitTree(a, 20), awaitTree(c, 20));
        JsonNode fromC = json(expect(200, c.get("/api/stats?org=district", ADMIN)));
        assertEquals(district.get("campaigns"), fromC.get("campaigns"));
        assertEquals(counts(district), counts(fromC));
        assertTrue(n2.startsWith("cl-"));
    }

    /** Waits until the node lists {@code size} orgs (a node learns others' edits at its next tick). */
    private static JsonNode awaitTree(EngineHarness node, int size) throws Exception {
        long deadline = System.nanoTime() + SEEN_WITHIN.toNanos();
        while (true) {
            JsonNode orgs = json(expect(200, node.get("/api/orgs", null))).get("orgs");
            if (orgs.size() == size || System.nanoTime() > deadline) {
                assertEquals(size, orgs.size(), orgs.toString());
                return orgs;
            }
            Thread.onSpinWait();
        }
    }

    private static Map<String, Long> counts(JsonNode stats) {
        Map<String, Long> counts = new TreeMap<>();
        stats.fields().forEachRemaining(field -> {
            if (field.getValue().isIntegralNumber()) {
                counts.put(field.getKey(), field.getValue().asLong());
            }
        });
        return counts;
    }

    private static long countOf(JsonNode trail, String action) {
        return trail.get("records").findValuesAsText("action").stream().filter(action::equals).count();
    }

    private static HttpResponse<String> publish(EngineHarness via, String token, String id, String org, String prefix,
                                                int status) throws Exception {
        ObjectNode body = (ObjectNode) MAPPER.readTree(campaignBody(id, 2, prefix, List.of(3, 2)));
        body.put("org", org);
        return expect(status, via.send("POST", "/api/campaigns", token, body.toString()));
    }

    private static String claim(EngineHarness via, String user, String wishId) throws Exception {
        return json(expect(201, via.send("POST", "/api/wishes/" + wishId + "/claims", via.userToken(user), null)))
                .get("id").asText();
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        return EngineHarness.expect(status, response);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        expect(status, response);
        assertEquals(code, json(response).get("error").asText(), response.body());
    }
}
