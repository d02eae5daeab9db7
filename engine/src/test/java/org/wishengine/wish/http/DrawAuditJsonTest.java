package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.DrawAudit;

class DrawAuditJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReadBackWhatItWrites() throws IOException {
        DrawAudit audit = DrawAuditSamples.audit();
        assertTrue(audit.winners().size() >= 2, "the sample has winners to swap: " + audit.winners());
        assertTrue(audit.winners().size() < audit.entries().size(), "and losers");

        DrawAudit read = DrawAuditJson.read(DrawAuditSamples.drawnBody());

        assertEquals(audit, read);
        assertTrue(DrawAudit.verify(read).ok(), DrawAudit.verify(read).describe());
    }

    @Test
    void shouldWriteTheDrawnBodyOfTheContract() throws IOException {
        DrawAudit audit = DrawAuditSamples.audit();
        JsonNode body = JSON.readTree(DrawAuditSamples.drawnBody());

        assertEquals(List.of("campaignId", "commitment", "seed", "perUserLimit", "unitsLeft", "held", "entries",
                "drawn", "winners", "state", "drawAt", "drawnAt"), names(body));
        assertEquals("c-7", body.get("campaignId").asText());
        assertEquals("630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd",
                body.get("commitment").asText());
        assertEquals(DrawAuditSamples.SEED.hex(), body.get("seed").asText());
        assertEquals(1, body.get("perUserLimit").intValue());
        // Sorted by wish id as strings, whatever order the draw was given them in.
        assertEquals(List.of("w-1", "w-10", "w-2"), names(body.get("unitsLeft")));
        assertEquals(3, body.get("unitsLeft").get("w-1").intValue());
        assertEquals(JSON.readTree("[{\"userHash\":\"" + DrawAudit.userHash(DrawAuditSamples.SEED, "user-3")
                + "\",\"wishId\":\"w-1\"}]"), body.get("held"));
        assertEquals(JSON.readTree("{\"entryId\":\"en-1\",\"wishId\":\"w-2\",\"userHash\":\""
                + DrawAudit.userHash(DrawAuditSamples.SEED, "user-1") + "\",\"arrival\":101}"), body.get("entries").get(0));
        assertEquals(12, body.get("entries").size());
        assertEquals(audit.drawn(), texts(body.get("drawn")));
        assertEquals(audit.winners(), texts(body.get("winners")));
        assertEquals("drawn", body.get("state").asText());
        assertEquals("2026-12-24T20:00:10Z", body.get("drawAt").asText());
        assertEquals("2026-12-24T20:00:10.250Z", body.get("drawnAt").asText());
    }

    @Test
    void shouldWriteThePendingBodyOfTheContract() throws IOException {
        JsonNode body = JSON.readTree(DrawAuditSamples.pendingBody(4));

        assertEquals(JSON.readTree("{\"campaignId\":\"c-7\",\"commitment\":\""
                + DrawAuditSamples.SEED.commitment() + "\",\"drawAt\":\"2026-12-24T20:00:10Z\",\"state\":\"pending\","
                + "\"entryCount\":4}"), body);
    }

    @Test
    void shouldSayAPendingDrawHasNotHappenedYet() {
        DrawAuditJson.NotDrawn notDrawn = assertThrows(DrawAuditJson.NotDrawn.class,
                () -> DrawAuditJson.read(DrawAuditSamples.pendingBody(4)));

        assertEquals("c-7", notDrawn.campaignId());
        assertEquals("2026-12-24T20:00:10Z", notDrawn.drawAt());
        assertEquals("campaign c-7 is not drawn yet, drawAt 2026-12-24T20:00:10Z", notDrawn.getMessage());
    }

    @Test
    void shouldIgnoreFieldsItDoesNotKnow() throws IOException {
        ObjectNode tree = DrawAuditSamples.drawnTree();
        tree.putObject("signature").put("by", "someone");
        ((ObjectNode) tree.get("entries").get(0)).put("note", "late");
        tree.remove(List.of("state", "drawAt", "drawnAt"));

        assertEquals(DrawAuditSamples.audit(), DrawAuditJson.read(DrawAuditSamples.bytes(tree)));
    }

    @Test
    void shouldNameAMissingField() {
        assertRefused("seed is missing", tree -> tree.remove("seed"));
        assertRefused("winners is missing", tree -> tree.remove("winners"));
        assertRefused("campaignId is missing", tree -> tree.remove("campaignId"));
        assertRefused("entries[1].arrival is missing", tree -> ((ObjectNode) tree.get("entries").get(1)).remove("arrival"));
        assertRefused("held[0].userHash is missing", tree -> ((ObjectNode) tree.get("held").get(0)).remove("userHash"));
    }

    @Test
    void shouldNameAFieldOfTheWrongType() {
        assertRefused("perUserLimit must be a whole number, not \"two\"", tree -> tree.put("perUserLimit", "two"));
        assertRefused("perUserLimit must be a whole number, not 1.5", tree -> tree.put("perUserLimit", 1.5));
        assertRefused("perUserLimit must be a whole number, not 4294967296",
                tree -> tree.put("perUserLimit", 4_294_967_296L));
        assertRefused("unitsLeft.w-2 must be a whole number, not null",
                tree -> ((ObjectNode) tree.get("unitsLeft")).putNull("w-2"));
        assertRefused("unitsLeft must be an object of wish id to units", tree -> tree.putArray("unitsLeft"));
        assertRefused("seed must be a string, not 7", tree -> tree.put("seed", 7));
        assertRefused("entries must be an array", tree -> tree.put("entries", "en-1"));
        assertRefused("entries[2] must be an object, not \"en-3\"",
                tree -> ((ArrayNode) tree.get("entries")).set(2, JSON.getNodeFactory().textNode("en-3")));
        assertRefused("entries[0].arrival must be a whole number, not \"101\"",
                tree -> ((ObjectNode) tree.get("entries").get(0)).put("arrival", "101"));
        assertRefused("winners[1] must be a string, not 2", tree -> ((ArrayNode) tree.get("winners")).set(1, 2));
    }

    @Test
    void shouldRefuseWhatIsNotOneJsonObject() {
        assertRefusedBody("not a JSON draw record", "<html>502 Bad Gateway</html>");
        assertRefusedBody("not a JSON draw record: expected an object", "[]");
        assertRefusedBody("not a JSON draw record", "");
        assertRefusedBody("not a JSON draw record", "{\"seed\":\"a\"} {}");
        // Two values for one field: which one a verifier sees would depend on its JSON library.
        assertRefusedBody("Duplicate field 'seed'", "{\"seed\":\"a\",\"seed\":\"b\"}");
    }

    private static void assertRefused(String message, Consumer<ObjectNode> change) {
        ObjectNode tree = DrawAuditSamples.drawnTree();
        change.accept(tree);
        IOException refused = assertThrows(IOException.class, () -> DrawAuditJson.read(DrawAuditSamples.bytes(tree)));
        assertTrue(refused.getMessage().contains(message), "expected <" + message + "> in: " + refused.getMessage());
    }

    private static void assertRefusedBody(String message, String body) {
        IOException refused = assertThrows(IOException.class,
                () -> DrawAuditJson.read(body.getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.getMessage().contains(message), "expected <" + message + "> in: " + refused.getMessage());
        assertEquals(-1, refused.getMessage().indexOf('\n'), "one line: " + refused.getMessage());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
