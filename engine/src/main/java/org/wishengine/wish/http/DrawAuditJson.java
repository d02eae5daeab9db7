package org.wishengine.wish.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.wishengine.wish.core.DrawAudit;

/**
 * The JSON of a fair-start draw's public record, the body of {@code GET /api/campaigns/{id}/draw}
 * once drawn: {@link DrawAudit}'s fields, then {@code "state":"drawn"}, {@code drawAt} and
 * {@code drawnAt} as ISO-8601 instants. Written by the engine and read back by {@code verify-draw},
 * so the two cannot drift apart.
 *
 * <p>Reading checks only the shape (every field of the record present, with its JSON type); whether
 * the values make a draw is {@link DrawAudit#verify}'s to say, so a tampered record is reported as a
 * mismatch, not as unreadable. Fields it does not know are ignored. A body whose {@code state} is
 * {@code pending} is refused with {@link NotDrawn}: it has no seed to check yet.
 */
public final class DrawAuditJson {

    /** Refuses duplicate keys: a record that says two things about one field cannot be audited. */
    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DrawAuditJson() {
    }

    /**
     * The draw has not happened yet: the body is the {@code "state":"pending"} one, which has the
     * commitment but no seed.
     */
    public static final class NotDrawn extends IOException {
        private final String campaignId;
        private final String drawAt;

        NotDrawn(String campaignId, String drawAt) {
            super((campaignId == null ? "the campaign" : "campaign " + campaignId) + " is not drawn yet, drawAt "
                    + (drawAt == null ? "unknown" : drawAt));
            this.campaignId = campaignId;
            this.drawAt = drawAt;
        }

        /** The campaign, as the body names it ({@code null} when it does not). */
        public String campaignId() {
            return campaignId;
        }

        /** When the draw is due, as the body states it ({@code null} when it does not). */
        public String drawAt() {
            return drawAt;
        }
    }

    /** The drawn body of {@code audit}, as UTF-8 bytes. */
    public static byte[] write(DrawAudit audit, long drawAtMillis, long drawnAtMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            write(json, audit, drawAtMillis, drawnAtMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the drawn body of {@code audit} as one JSON object (for {@link ApiJson#encode}). */
    public static void write(JsonGenerator json, DrawAudit audit, long drawAtMillis, long drawnAtMillis)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("campaignId", audit.campaignId());
        json.writeStringField("commitment", audit.commitment());
        json.writeStringField("seed", audit.seed());
        json.writeNumberField("perUserLimit", audit.perUserLimit());
        json.writeObjectFieldStart("unitsLeft");
        // DrawAudit keeps unitsLeft sorted by wish id, so the body reads the same every time.
        for (Map.Entry<String, Integer> units : audit.unitsLeft().entrySet()) {
            json.writeFieldName(units.getKey());
            if (units.getValue() == null) {
                json.writeNull();
            } else {
                json.writeNumber(units.getValue());
            }
        }
        json.writeEndObject();
        json.writeArrayFieldStart("held");
        for (DrawAudit.Held held : audit.held()) {
            json.writeStartObject();
            json.writeStringField("userHash", held.userHash());
            json.writeStringField("wishId", held.wishId());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("entries");
        for (DrawAudit.Entry entry : audit.entries()) {
            json.writeStartObject();
            json.writeStringField("entryId", entry.entryId());
            json.writeStringField("wishId", entry.wishId());
            json.writeStringField("userHash", entry.userHash());
            json.writeNumberField("arrival", entry.arrival());
            json.writeEndObject();
        }
        json.writeEndArray();
        strings(json, "drawn", audit.drawn());
        strings(json, "winners", audit.winners());
        json.writeStringField("state", "drawn");
        json.writeStringField("drawAt", IsoInstants.format(drawAtMillis));
        json.writeStringField("drawnAt", IsoInstants.format(drawnAtMillis));
        json.writeEndObject();
    }

    /**
     * Writes the body before the draw: the campaign, its commitment, when the draw is due and how
     * many entries it has so far.
     */
    public static void writePending(JsonGenerator json, String campaignId, String commitment, long drawAtMillis,
                                    int entryCount) throws IOException {
        json.writeStartObject();
        json.writeStringField("campaignId", campaignId);
        json.writeStringField("commitment", commitment);
        json.writeStringField("drawAt", IsoInstants.format(drawAtMillis));
        json.writeStringField("state", "pending");
        json.writeNumberField("entryCount", entryCount);
        json.writeEndObject();
    }

    /** {@link #read(InputStream)} of {@code json}. */
    public static DrawAudit read(byte[] json) throws IOException {
        return read(new ByteArrayInputStream(json));
    }

    /**
     * The record in a drawn body.
     *
     * @throws NotDrawn    when the body says {@code "state":"pending"}
     * @throws IOException when it is not JSON, or a field of the record is missing or of the wrong
     *                     type; the message names the field, e.g. {@code entries[3].arrival}
     */
    public static DrawAudit read(InputStream json) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the source and spans lines; one line is enough here.
            throw new IOException("not a JSON draw record: " + e.getOriginalMessage() + where(e.getLocation()), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON draw record: expected an object");
        }
        JsonNode state = root.get("state");
        if (state != null && "pending".equals(state.asText())) {
            throw new NotDrawn(textOrNull(root.get("campaignId")), textOrNull(root.get("drawAt")));
        }
        String campaignId = text(root, "campaignId", "");
        String commitment = text(root, "commitment", "");
        String seed = text(root, "seed", "");
        int perUserLimit = integer(root, "perUserLimit", "");
        JsonNode unitsNode = member(root, "unitsLeft", "", JsonNode::isObject, "an object of wish id to units");
        Map<String, Integer> unitsLeft = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> units : unitsNode.properties()) {
            unitsLeft.put(units.getKey(), integer(unitsNode, units.getKey(), "unitsLeft."));
        }
        JsonNode heldNode = array(root, "held");
        List<DrawAudit.Held> held = new ArrayList<>(heldNode.size());
        for (int i = 0; i < heldNode.size(); i++) {
            String path = "held[" + i + "].";
            JsonNode claim = element(heldNode, i, "held");
            held.add(new DrawAudit.Held(text(claim, "userHash", path), text(claim, "wishId", path)));
        }
        JsonNode entriesNode = array(root, "entries");
        List<DrawAudit.Entry> entries = new ArrayList<>(entriesNode.size());
        for (int i = 0; i < entriesNode.size(); i++) {
            String path = "entries[" + i + "].";
            JsonNode entry = element(entriesNode, i, "entries");
            entries.add(new DrawAudit.Entry(text(entry, "entryId", path), text(entry, "wishId", path),
                    text(entry, "userHash", path), longInteger(entry, "arrival", path)));
        }
        return new DrawAudit(campaignId, commitment, seed, perUserLimit, unitsLeft, held, entries,
                strings(root, "drawn"), strings(root, "winners"));
    }

    private static void strings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    private static List<String> strings(JsonNode root, String field) throws IOException {
        JsonNode values = array(root, field);
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (!value.isTextual()) {
                throw new IOException(field + "[" + i + "] must be a string, not " + describe(value));
            }
            out.add(value.asText());
        }
        return out;
    }

    private static JsonNode element(JsonNode array, int i, String field) throws IOException {
        JsonNode element = array.get(i);
        if (!element.isObject()) {
            throw new IOException(field + "[" + i + "] must be an object, not " + describe(element));
        }
        return element;
    }

    private static JsonNode array(JsonNode parent, String field) throws IOException {
        return member(parent, field, "", JsonNode::isArray, "an array");
    }

    private static String text(JsonNode parent, String field, String path) throws IOException {
        return member(parent, field, path, JsonNode::isTextual, "a string").asText();
    }

    private static int integer(JsonNode parent, String field, String path) throws IOException {
        return member(parent, field, path, node -> node.isIntegralNumber() && node.canConvertToInt(),
                "a whole number").intValue();
    }

    private static long longInteger(JsonNode parent, String field, String path) throws IOException {
        return member(parent, field, path, node -> node.isIntegralNumber() && node.canConvertToLong(),
                "a whole number").longValue();
    }

    private interface Shape {
        boolean fits(JsonNode node);
    }

    private static JsonNode member(JsonNode parent, String field, String path, Shape shape, String expected)
            throws IOException {
        JsonNode node = parent.get(field);
        if (node == null) {
            throw new IOException(path + field + " is missing");
        }
        if (!shape.fits(node)) {
            throw new IOException(path + field + " must be " + expected + ", not " + describe(node));
        }
        return node;
    }

    private static String describe(JsonNode node) {
        String text = node.toString();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
