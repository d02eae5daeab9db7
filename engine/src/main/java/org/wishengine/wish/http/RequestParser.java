package org.wishengine.wish.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.WishSpec;

/**
 * Turns organiser and claimer request bodies into core values, checking every field so that the
 * book only ever sees valid drafts. Failures name the field (e.g. {@code wishes[2].quantity}).
 */
final class RequestParser {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_QUANTITY = 100_000;
    static final int MAX_WISHES = 10_000;
    /** The first instant {@code opensAt} may name, inclusive. */
    static final Instant EARLIEST_OPENING = Instant.parse("2000-01-01T00:00:00Z");
    /** The last instant {@code opensAt} may name, inclusive: the last millisecond of year 9999. */
    static final Instant LATEST_OPENING = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final int MAX_TEXT = 2_000;
    private static final int DEFAULT_PER_USER_LIMIT = 1;
    private static final int DEFAULT_FULFIL_HOURS = 168;

    // A body with anything after its JSON object is malformed, not "the first object wins".
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A campaign draft; {@code opensAt} defaults to {@code now} (open at once). */
    Campaign campaign(InputStream body, long now) throws BadRequest {
        ObjectNode root = object(body);
        String id = optionalId(root, "id");
        String title = text(root, "title", true);
        long opensAt = now;
        JsonNode opens = root.get("opensAt");
        if (opens != null && !opens.isNull()) {
            if (!opens.isTextual()) {
                throw new BadRequest("opensAt", "opensAt must be an ISO-8601 instant such as 2026-12-01T02:00:00Z");
            }
            opensAt = opensAt(opens.asText());
        }
        int perUserLimit = integer(root, "perUserLimit", DEFAULT_PER_USER_LIMIT, 1, 1_000);
        int fulfilHours = integer(root, "fulfilWithinHours", DEFAULT_FULFIL_HOURS, 1, 24 * 366);
        JsonNode wishNodes = root.get("wishes");
        if (wishNodes == null || !wishNodes.isArray() || wishNodes.isEmpty()) {
            throw new BadRequest("wishes", "wishes must be a non-empty array");
        }
        if (wishNodes.size() > MAX_WISHES) {
            throw new BadRequest("wishes", "at most " + MAX_WISHES + " wishes per campaign");
        }
        List<WishSpec> wishes = new ArrayList<>(wishNodes.size());
        for (int i = 0; i < wishNodes.size(); i++) {
            wishes.add(wish(wishNodes.get(i), "wishes[" + i + "]."));
        }
        return new Campaign(id, title, opensAt, perUserLimit, fulfilHours, 0, wishes);
    }

    /**
     * The instant in epoch millis, or refused unless it lies in [{@link #EARLIEST_OPENING},
     * {@link #LATEST_OPENING}]: a year such as +999999999 does not fit in epoch millis, and
     * epoch 0 means "no instant" to the views, so the range keeps both out of the book.
     */
    private static long opensAt(String text) throws BadRequest {
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadRequest("opensAt", "opensAt must be an ISO-8601 instant such as 2026-12-01T02:00:00Z");
        }
        if (instant.isBefore(EARLIEST_OPENING) || instant.isAfter(LATEST_OPENING)) {
            throw new BadRequest("opensAt", "opensAt must lie between " + EARLIEST_OPENING + " and " + LATEST_OPENING
                    + " inclusive");
        }
        return instant.toEpochMilli();
    }

    /** A confirmation body: {@code {"rating": 1..5, "comment": "..."}}. */
    Confirmation confirmation(InputStream body) throws BadRequest {
        ObjectNode root = object(body);
        JsonNode rating = root.get("rating");
        if (rating == null || !rating.canConvertToInt() || !rating.isIntegralNumber()
                || rating.intValue() < 1 || rating.intValue() > 5) {
            throw new BadRequest("rating", "rating must be an integer from 1 to 5");
        }
        return new Confirmation(rating.intValue(), text(root, "comment", false));
    }

    record Confirmation(int rating, String comment) {
    }

    private WishSpec wish(JsonNode node, String prefix) throws BadRequest {
        if (!node.isObject()) {
            throw new BadRequest(prefix.substring(0, prefix.length() - 1), "each wish must be an object");
        }
        ObjectNode wish = (ObjectNode) node;
        try {
            return new WishSpec(optionalId(wish, "id"), text(wish, "title", true),
                    integer(wish, "quantity", 1, 1, MAX_QUANTITY), text(wish, "category", false),
                    text(wish, "location", false), text(wish, "beneficiary", false), text(wish, "description", false));
        } catch (BadRequest e) {
            throw new BadRequest(prefix + e.field(), e.getMessage());
        }
    }

    private ObjectNode object(InputStream body) throws BadRequest {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(null, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest(null, "unreadable body");
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest(null, "the body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    private static String optionalId(ObjectNode node, String field) throws BadRequest {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !ID.matcher(value.asText()).matches()) {
            throw new BadRequest(field, field + " must be 1..64 characters of A-Z a-z 0-9 _ -");
        }
        return value.asText();
    }

    private static String text(ObjectNode node, String field, boolean required) throws BadRequest {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new BadRequest(field, field + " is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRequest(field, field + " must be a string");
        }
        String text = value.asText();
        if (required && text.isBlank()) {
            throw new BadRequest(field, field + " must not be blank");
        }
        if (text.length() > MAX_TEXT) {
            throw new BadRequest(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        return text;
    }

    private static int integer(ObjectNode node, String field, int fallback, int min, int max) throws BadRequest {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new BadRequest(field, field + " must be an integer from " + min + " to " + max);
        }
        return value.intValue();
    }
}
