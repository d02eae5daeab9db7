package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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
