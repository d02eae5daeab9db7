package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.Stats;
import org.wishengine.wish.core.SubtreeStats;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.ClaimStatus;

class ApiJsonTest {

    private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String text(ApiJson.Body body) {
        ByteBuf buffer = ApiJson.encode(ALLOC, body);
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            buffer.release();
        }
    }

    private static Claim claim(String id, String user) {
        return new Claim(id, "w-1", "c-1", user, ClaimStatus.CLAIMED, 1_700_000_000_123L, 0, 0, 0, 0, 0, null);
    }

    @Test
    void shouldWriteEachBodyAsOneSelfContainedDocument() throws IOException {
        // The generator is reused per thread: nothing of one body may leak into the next.
        String first = text(j -> ApiJson.claim(j, claim("cl-1", "alice")));
        String second = text(j -> ApiJson.claim(j, claim("cl-2", "bob")));

        JsonNode one = MAPPER.readTree(first);
        JsonNode two = MAPPER.readTree(second);
        assertEquals('{', second.charAt(0), second);
        assertEquals("cl-1", one.get("id").asText());
        assertEquals("alice", one.get("userId").asText());
        assertEquals("cl-2", two.get("id").asText());
        assertEquals("bob", two.get("userId").asText());
        assertEquals("claimed", two.get("status").asText());
        assertEquals("2023-11-14T22:13:20.123Z", two.get("claimedAt").asText());
        assertEquals(6, two.size(), second); // no times that did not happen, no rating
    }

    @Test
    void shouldWriteAnOrgTheTreeAndASubtreeWithItsChildren() throws IOException {
        Org town = new Org("town-a", "朱泾镇", "district");
        assertEquals("{\"id\":\"town-a\",\"name\":\"朱泾镇\",\"parent\":\"district\",\"retired\":false}",
                text(j -> ApiJson.org(j, town)));
        assertEquals("{\"orgs\":[{\"id\":\"district\",\"name\":\"D\",\"retired\":false},"
                + "{\"id\":\"town-a\",\"name\":\"朱泾镇\",\"parent\":\"district\",\"retired\":false}]}",
                text(j -> ApiJson.orgs(j, List.of(new Org("district", "D", null), town))));

        Stats totals = new Stats(2, 3, 10, 6, 4, 2, 1, 1, 0, 1, 1);
        Stats child = new Stats(1, 1, 4, 2, 2, 1, 0, 0, 0, 0, 0);
        JsonNode subtree = MAPPER.readTree(text(j -> ApiJson.orgStats(j, new SubtreeStats(new Org("district", "D", null),
                totals, List.of(new SubtreeStats.Row(town, child))))));
        assertEquals("district", subtree.get("org").asText());
        assertEquals(10, subtree.get("units").asInt());
        assertEquals(1.0, subtree.get("satisfaction").asDouble());
        JsonNode row = subtree.get("children").get(0);
        assertEquals("town-a", row.get("org").asText());
        assertEquals("朱泾镇", row.get("name").asText());
        assertEquals(2, row.get("claimed").asInt());
        assertTrue(row.get("satisfaction").isNull(), "nothing rated yet");
        JsonNode district = MAPPER.readTree(text(j -> ApiJson.orgStats(j, new SubtreeStats(null, totals, List.of()))));
        assertNull(district.get("org"), "the whole district has no org");
        assertEquals(0, district.get("children").size());
    }

    @Test
    void shouldShowTheOrgOfACampaign() throws IOException {
        Campaign campaign = new Campaign("c-1", "T", 1_000, 1, 24, 1_000,
                List.of(new WishSpec("w-1", "W", 1, null, null, null, null)), null, "town-a");
        assertEquals("town-a", MAPPER.readTree(text(j -> ApiJson.campaign(j, CampaignView.fresh(campaign), false)))
                .get("org").asText());
        assertNull(MAPPER.readTree(text(j -> ApiJson.campaign(j, CampaignView.fresh(campaign.withOrg(null)), false)))
                .get("org"));
    }

    @Test
    void shouldRecoverAfterABodyFailsHalfWritten() throws IOException {
        assertThrows(IllegalStateException.class, () -> text(j -> {
            j.writeStartObject();
            j.writeStringField("id", "half");
            throw new IllegalStateException("rendering failed");
        }));

        String next = text(j -> ApiJson.error(j, "not_found", "no such claim"));

        JsonNode error = MAPPER.readTree(next);
        assertEquals("not_found", error.get("error").asText());
        assertEquals("no such claim", error.get("message").asText());
        assertEquals(2, error.size(), next);
    }
}
