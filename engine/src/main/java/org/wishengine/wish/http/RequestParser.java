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
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignRules;
import org.wishengine.wish.core.DrawSeed;
import org.wishengine.wish.core.FairStart;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.SeedSource;
import org.wishengine.wish.core.WishSpec;

/**
 * Turns organiser request bodies into core values, refusing what breaks the core's
 * {@link CampaignRules} so that the book only ever sees valid drafts. Failures name the field
 * (e.g. {@code wishes[2].quantity}). The rules live in the core; this class only reads JSON.
 */
final class RequestParser {

    private static final Instant EARLIEST_OPENING = Instant.ofEpochMilli(CampaignRules.EARLIEST_OPENING_MILLIS);
    private static final Instant LATEST_OPENING = Instant.ofEpochMilli(CampaignRules.LATEST_OPENING_MILLIS);

    // A body with anything after its JSON object is malformed, not "the first object wins".
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Where the seed of a fair-start campaign comes from: the edge draws it, the core only uses it. */
    private final SeedSource seeds;

    RequestParser() {
        this(SeedSource.secure());
    }

    RequestParser(SeedSource seeds) {
        this.seeds = seeds;
    }

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
        int perUserLimit = integer(root, "perUserLimit", CampaignRules.DEFAULT_PER_USER_LIMIT,
                CampaignRules.MIN_PER_USER_LIMIT, CampaignRules.MAX_PER_USER_LIMIT);
        int fulfilHours = integer(root, "fulfilWithinHours", CampaignRules.DEFAULT_FULFIL_HOURS,
                CampaignRules.MIN_FULFIL_HOURS, CampaignRules.MAX_FULFIL_HOURS);
        JsonNode wishNodes = root.get("wishes");
        if (wishNodes == null || !wishNodes.isArray() || wishNodes.isEmpty()) {
            throw new BadRequest("wishes", "wishes must be a non-empty array");
        }
        if (wishNodes.size() > CampaignRules.MAX_WISHES) {
            throw new BadRequest("wishes", "at most " + CampaignRules.MAX_WISHES + " wishes per campaign");
        }
        List<WishSpec> wishes = new ArrayList<>(wishNodes.size());
        for (int i = 0; i < wishNodes.size(); i++) {
            wishes.add(wish(wishNodes.get(i), "wishes[" + i + "]."));
        }
        return new Campaign(id, title, opensAt, perUserLimit, fulfilHours, 0, wishes, fairStart(root),
                optionalId(root, "org"));
    }

    /** Most orgs one {@code PUT /api/orgs} loads: the writer checks and applies them in one step. */
    static final int MAX_LOADED_ORGS = 10_000;

    /** A new org: {@code {"id": "...", "name": "...", "parent": "..."}} ({@code parent} absent: a root). */
    Org org(InputStream body) throws BadRequest {
        return org(object(body), "", false);
    }

    /** A rename: {@code {"name": "..."}}. */
    String orgName(InputStream body) throws BadRequest {
        return orgName(object(body), "");
    }

    /**
     * A whole tree: {@code {"orgs": [{"id", "name", "parent", "retired"}, ...]}}, in any order
     * (the book checks parents, cycles and ids taken as a whole).
     */
    List<Org> orgs(InputStream body) throws BadRequest {
        JsonNode nodes = object(body).get("orgs");
        if (nodes == null || !nodes.isArray() || nodes.isEmpty()) {
            throw new BadRequest("orgs", "orgs must be a non-empty array");
        }
        if (nodes.size() > MAX_LOADED_ORGS) {
            throw new BadRequest("orgs", "at most " + MAX_LOADED_ORGS + " orgs per load");
        }
        List<Org> orgs = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            String prefix = "orgs[" + i + "].";
            if (!nodes.get(i).isObject()) {
                throw new BadRequest("orgs[" + i + "]", "each org must be an object");
            }
            orgs.add(org((ObjectNode) nodes.get(i), prefix, true));
        }
        return orgs;
    }

    private static Org org(ObjectNode node, String prefix, boolean withRetired) throws BadRequest {
        String id = optionalId(node, "id", prefix);
        if (id == null) {
            throw new BadRequest(prefix + "id", prefix + "id is required");
        }
        String name = orgName(node, prefix);
        String parent = optionalId(node, "parent", prefix);
        boolean retired = false;
        JsonNode flag = node.get("retired");
        if (withRetired && flag != null && !flag.isNull()) {
            if (!flag.isBoolean()) {
                throw new BadRequest(prefix + "retired", prefix + "retired must be true or false");
            }
            retired = flag.booleanValue();
        }
        return new Org(id, name, parent, retired);
    }

    private static String orgName(ObjectNode node, String prefix) throws BadRequest {
        JsonNode value = node.get("name");
        if (value == null || value.isNull() || !value.isTextual() || value.asText().isBlank()
                || !Org.validName(value.asText())) {
            throw new BadRequest(prefix + "name", prefix + "name must be a string of 1.." + Org.MAX_NAME
                    + " characters, not blank");
        }
        return value.asText();
    }

    /**
     * {@code "fairStart": {"windowSeconds": N}}: null when absent, null or 0 (a plain first-come
     * grab); otherwise the window with a fresh secret seed.
     */
    private FairStart fairStart(ObjectNode root) throws BadRequest {
        JsonNode node = root.get("fairStart");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadRequest("fairStart", "fairStart must be an object such as {\"windowSeconds\": 10}");
        }
        int window;
        try {
            window = integer((ObjectNode) node, "windowSeconds", 0, 0, FairStart.MAX_WINDOW_SECONDS);
        } catch (BadRequest e) {
            throw new BadRequest("fairStart.windowSeconds", "fairStart.windowSeconds must be an integer from 0 to "
                    + FairStart.MAX_WINDOW_SECONDS + " (0: no fair start)");
        }
        return window == 0 ? null : new FairStart(window, DrawSeed.generate(seeds));
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
                || !CampaignRules.validRating(rating.intValue())) {
            throw new BadRequest("rating", "rating must be an integer from " + CampaignRules.MIN_RATING + " to "
                    + CampaignRules.MAX_RATING);
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
                    integer(wish, "quantity", CampaignRules.DEFAULT_QUANTITY, CampaignRules.MIN_QUANTITY,
                            CampaignRules.MAX_QUANTITY), text(wish, "category", false),
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
        return optionalId(node, field, "");
    }

    private static String optionalId(ObjectNode node, String field, String prefix) throws BadRequest {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !CampaignRules.validId(value.asText())) {
            throw new BadRequest(prefix + field, prefix + field + " must be 1..64 characters of A-Z a-z 0-9 _ -");
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
        if (text.length() > CampaignRules.MAX_TEXT) {
            throw new BadRequest(field, field + " is longer than " + CampaignRules.MAX_TEXT + " characters");
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
