package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertError;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/wishes} in pages (API.md section 6.5) against a real engine and Redis: more
 * wishes than a page, walked by following {@code nextCursor} until it is absent, with claims
 * between the pages; and the 400 answers for a bad {@code limit} or {@code cursor}.
 */
@Timeout(60)
class WishPagingIT {

    /** Three campaigns, 1,305 wishes: more than two default pages, and one campaign spanning a page boundary. */
    private static final int A = 700;
    private static final int B = 600;
    private static final int C = 5;

    @TempDir
    static Path tmp;

    private static EngineHarness harness;
    private static final List<String> ALL = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        harness = EngineHarness.start(tmp);
        publish("pg-a", "pa-", A);
        publish("pg-b", "pb-", B);
        publish("pg-c", "pc-", C);
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private static void publish(String campaignId, String wishPrefix, int wishes) throws Exception {
        createCampaign(harness, campaignBody(campaignId, wishes, wishPrefix, Collections.nCopies(wishes, 1)));
        for (int i = 1; i <= wishes; i++) {
            ALL.add(wishPrefix + i);
        }
    }

    @Test
    void shouldWalkEveryWishOnceInDefaultPagesWhileWishesAreClaimed() throws Exception {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        int claimed = 0;
        do {
            JsonNode page = page("/api/wishes" + (cursor == null ? "" : "?cursor=" + cursor));
            sizes.add(page.path("wishes").size());
            page.path("wishes").forEach(wish -> seen.add(wish.path("id").asText()));
            cursor = page.has("nextCursor") ? page.path("nextCursor").asText() : null;
            // Claims between pages, behind and ahead of the cursor (in pg-a and pg-b), must not move it.
            String user = harness.userToken("walker-" + claimed);
            for (String wishId : List.of(ALL.get(claimed), ALL.get(A + B - 1 - claimed))) {
                assertEquals(201, harness.post("/api/wishes/" + wishId + "/claims", user, null).statusCode());
            }
            claimed++;
        } while (cursor != null);

        assertEquals(List.of(500, 500, 305), sizes);
        assertEquals(ALL, seen);
    }

    @Test
    void shouldPageFilteredListingsToTheirEnd() throws Exception {
        assertEquals(ALL.subList(A, A + B), walk("/api/wishes?campaign=pg-b", 250, List.of(250, 250, 100)));
        assertEquals(ALL, walk("/api/wishes?category=elderly", 1000, List.of(1000, 305)));
        assertEquals(List.of("pc-1", "pc-2", "pc-3", "pc-4", "pc-5"),
                walk("/api/wishes?campaign=pg-c&available=true", 2, List.of(2, 2, 1)));
        assertEquals(List.of(), walk("/api/wishes?campaign=nope", 10, List.of(0)));
        assertEquals(List.of(), walk("/api/wishes?category=none-such", 10, List.of(0)));
    }

    @Test
    void shouldRefuseABadLimitOrCursorNamingTheField() throws Exception {
        for (String limit : new String[] {"0", "1001", "-1", "abc", "1.5", "010", "99999999999"}) {
            assertInvalid("/api/wishes?limit=" + encode(limit), "limit");
        }
        for (String cursor : new String[] {"abc", "-1", "007", "1e3", " 1", "9999999999"}) {
            assertInvalid("/api/wishes?cursor=" + encode(cursor), "cursor");
        }
        // Well-formed but past the last wish: no page ever points there.
        assertInvalid("/api/wishes?cursor=" + ALL.size(), "cursor");
        assertInvalid("/api/wishes?campaign=pg-a&cursor=123456789", "cursor");

        assertEquals(ALL.get(ALL.size() - 1), page("/api/wishes?cursor=" + (ALL.size() - 1))
                .path("wishes").get(0).path("id").asText());
        assertEquals(1, page("/api/wishes?limit=1").path("wishes").size());
        assertEquals(500, page("/api/wishes?limit=").path("wishes").size()); // empty means absent, as for every parameter
    }

    /** Follows nextCursor from {@code path} with {@code limit}; checks the page sizes and that the last has no cursor. */
    private static List<String> walk(String path, int limit, List<Integer> expectedSizes) throws Exception {
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = page(path + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + encode(cursor)));
            sizes.add(page.path("wishes").size());
            page.path("wishes").forEach(wish -> seen.add(wish.path("id").asText()));
            cursor = page.has("nextCursor") ? page.path("nextCursor").asText() : null;
            assertTrue(cursor == null || page.path("nextCursor").isTextual(), page::toString);
            assertFalse(sizes.size() > expectedSizes.size(), () -> path + ": more pages than " + expectedSizes);
        } while (cursor != null);
        assertEquals(expectedSizes, sizes, path);
        return seen;
    }

    private static JsonNode page(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = harness.get(path, null);
        assertEquals(200, response.statusCode(), () -> path + ": " + response.body());
        return json(response);
    }

    private static void assertInvalid(String path, String field) throws IOException, InterruptedException {
        JsonNode body = assertError(harness.get(path, null), 400, "invalid_request");
        assertEquals(field, body.path("field").asText(null), () -> path + ": " + body);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
