package org.wishengine.wish.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.ListingKey;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Entry;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.SubtreeStats;
import org.wishengine.wish.core.Stats;
import org.wishengine.wish.core.WishPage;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.core.WishView;

/**
 * Writes the API's JSON bodies straight into pooled buffers with Jackson's streaming generator:
 * no intermediate strings or maps on the claim path. Times are ISO-8601 instants in UTC.
 */
final class ApiJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    /** One generator per thread, re-pointed at each response's buffer (see {@link Reusable}). */
    private static final ThreadLocal<Reusable> GENERATORS = ThreadLocal.withInitial(Reusable::new);

    // A claim is the answer to every grab: its field names are quoted and encoded once.
    private static final SerializedString ID = new SerializedString("id");
    private static final SerializedString WISH_ID = new SerializedString("wishId");
    private static final SerializedString CAMPAIGN_ID = new SerializedString("campaignId");
    private static final SerializedString USER_ID = new SerializedString("userId");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString CLAIMED_AT = new SerializedString("claimedAt");
    private static final SerializedString FULFILLED_AT = new SerializedString("fulfilledAt");
    private static final SerializedString CONFIRMED_AT = new SerializedString("confirmedAt");
    private static final SerializedString CANCELLED_AT = new SerializedString("cancelledAt");
    private static final SerializedString EXPIRED_AT = new SerializedString("expiredAt");

    private ApiJson() {
    }

    /** Something that writes one JSON value. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static ByteBuf encode(ByteBufAllocator alloc, Body body) {
        ByteBuf buffer = alloc.buffer(256);
        Reusable reusable = GENERATORS.get();
        reusable.target = buffer;
        boolean written = false;
        try {
            body.write(reusable.json);
            reusable.json.flush();
            written = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reusable.target = null;
            if (!written) {
                // The generator may be mid-value: this thread gets a fresh one next time.
                GENERATORS.remove();
                buffer.release();
            }
        }
        return buffer;
    }

    static void claim(JsonGenerator json, Claim claim) throws IOException {
        json.writeStartObject();
        field(json, ID, claim.id());
        field(json, WISH_ID, claim.wishId());
        field(json, CAMPAIGN_ID, claim.campaignId());
        field(json, USER_ID, claim.userId());
        field(json, STATUS, claim.status().wireName());
        time(json, CLAIMED_AT, claim.claimedAt());
        time(json, FULFILLED_AT, claim.fulfilledAt());
        time(json, CONFIRMED_AT, claim.confirmedAt());
        time(json, CANCELLED_AT, claim.cancelledAt());
        time(json, EXPIRED_AT, claim.expiredAt());
        if (claim.rating() > 0) {
            json.writeNumberField("rating", claim.rating());
        }
        if (claim.comment() != null) {
            json.writeStringField("comment", claim.comment());
        }
        json.writeEndObject();
    }

    static void claims(JsonGenerator json, List<Claim> claims) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("claims");
        for (Claim claim : claims) {
            claim(json, claim);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void wish(JsonGenerator json, WishView wish) throws IOException {
        WishSpec spec = wish.spec();
        json.writeStartObject();
        json.writeStringField("id", spec.id());
        json.writeStringField("campaignId", wish.campaignId());
        json.writeStringField("title", spec.title());
        json.writeNumberField("quantity", spec.quantity());
        json.writeNumberField("remaining", wish.remaining());
        optional(json, "category", spec.category());
        optional(json, "location", spec.location());
        optional(json, "beneficiary", spec.beneficiary());
        optional(json, "description", spec.description());
        time(json, "opensAt", wish.opensAt());
        json.writeEndObject();
    }

    /** A page of a wish listing; {@code nextCursor} only when more wishes follow. */
    static void wishes(JsonGenerator json, WishPage page) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("wishes");
        for (WishView wish : page.wishes()) {
            wish(json, wish);
        }
        json.writeEndArray();
        if (page.keys() != null) {
            // A cluster node's part of a combined listing: where each wish stands across nodes.
            json.writeArrayFieldStart("keys");
            for (ListingKey key : page.keys()) {
                json.writeString(key.toString());
            }
            json.writeEndArray();
        }
        optional(json, "nextCursor", page.nextCursor());
        json.writeEndObject();
    }

    /** A campaign with its wishes ({@code withWishes}) or as a summary for listings. */
    static void campaign(JsonGenerator json, CampaignView view, boolean withWishes) throws IOException {
        Campaign campaign = view.campaign();
        json.writeStartObject();
        json.writeStringField("id", campaign.id());
        json.writeStringField("title", campaign.title());
        time(json, "opensAt", campaign.opensAt());
        json.writeNumberField("perUserLimit", campaign.perUserLimit());
        json.writeNumberField("fulfilWithinHours", campaign.fulfilWithinHours());
        optional(json, "org", campaign.org());
        time(json, "createdAt", campaign.createdAt());
        json.writeNumberField("wishCount", campaign.wishes().size());
        json.writeNumberField("units", campaign.units());
        json.writeNumberField("remaining", view.remaining());
        if (campaign.fairStart() != null) {
            // The commitment only: the seed itself is shown with the draw's result.
            json.writeObjectFieldStart("fairStart");
            json.writeNumberField("windowSeconds", campaign.fairStart().windowSeconds());
            time(json, "drawAt", campaign.drawAt());
            json.writeStringField("seedCommitment", campaign.fairStart().seed().commitment());
            json.writeBooleanField("drawn", view.drawnAt() != 0);
            time(json, "drawnAt", view.drawnAt());
            json.writeEndObject();
        }
        if (withWishes) {
            json.writeArrayFieldStart("wishes");
            for (WishView wish : view.wishes()) {
                wish(json, wish);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    static void campaigns(JsonGenerator json, List<CampaignView> campaigns) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("campaigns");
        for (CampaignView campaign : campaigns) {
            campaign(json, campaign, false);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The answer to a claim made inside a fair-start window: the entry, and when its draw is due. */
    static void entered(JsonGenerator json, Entry entry) throws IOException {
        json.writeStartObject();
        json.writeStringField("status", "entered");
        json.writeStringField("entryId", entry.id());
        field(json, CAMPAIGN_ID, entry.campaignId());
        field(json, WISH_ID, entry.wishId());
        field(json, USER_ID, entry.userId());
        time(json, "enteredAt", entry.enteredAt());
        time(json, "drawAt", entry.drawAt());
        json.writeEndObject();
    }

    /** A user's own entries, each with what the draw gave it. */
    static void entries(JsonGenerator json, List<Entry> entries) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("entries");
        for (Entry entry : entries) {
            json.writeStartObject();
            json.writeStringField("entryId", entry.id());
            field(json, CAMPAIGN_ID, entry.campaignId());
            field(json, WISH_ID, entry.wishId());
            time(json, "enteredAt", entry.enteredAt());
            time(json, "drawAt", entry.drawAt());
            json.writeStringField("outcome", entry.outcome().wireName());
            time(json, "settledAt", entry.settledAt());
            optional(json, "claimId", entry.claimId());
            if (entry.reason() != null) {
                json.writeStringField("reason", entry.reason().name().toLowerCase(java.util.Locale.ROOT));
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void stats(JsonGenerator json, Stats stats, String campaignId) throws IOException {
        json.writeStartObject();
        optional(json, "campaignId", campaignId);
        statsFields(json, stats);
        json.writeEndObject();
    }

    /**
     * An org's subtree: {@code org} and {@code name} (absent for the whole district), the 5.4
     * totals, and {@code children}: one row per child org, {@code {org, name, retired, ...totals}}.
     */
    static void orgStats(JsonGenerator json, SubtreeStats stats) throws IOException {
        json.writeStartObject();
        if (stats.org() != null) {
            json.writeStringField("org", stats.org().id());
            json.writeStringField("name", stats.org().name());
        }
        statsFields(json, stats.totals());
        json.writeArrayFieldStart("children");
        for (SubtreeStats.Row row : stats.children()) {
            json.writeStartObject();
            json.writeStringField("org", row.org().id());
            json.writeStringField("name", row.org().name());
            json.writeBooleanField("retired", row.org().retired());
            statsFields(json, row.stats());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** One org: {@code {id, name, parent (absent for a root), retired}}. */
    static void org(JsonGenerator json, Org org) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", org.id());
        json.writeStringField("name", org.name());
        optional(json, "parent", org.parent());
        json.writeBooleanField("retired", org.retired());
        json.writeEndObject();
    }

    /** {@code {"orgs": [...]}}, flat, each org after its parent. */
    static void orgs(JsonGenerator json, List<Org> orgs) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("orgs");
        for (Org org : orgs) {
            org(json, org);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void statsFields(JsonGenerator json, Stats stats) throws IOException {
        json.writeNumberField("campaigns", stats.campaigns());
        json.writeNumberField("wishes", stats.wishes());
        json.writeNumberField("units", stats.units());
        json.writeNumberField("remaining", stats.remaining());
        json.writeNumberField("claimed", stats.claimed());
        json.writeNumberField("fulfilled", stats.fulfilled());
        json.writeNumberField("confirmed", stats.confirmed());
        json.writeNumberField("cancelled", stats.cancelled());
        json.writeNumberField("expired", stats.expired());
        json.writeNumberField("rated", stats.rated());
        json.writeFieldName("satisfaction");
        if (stats.rated() == 0) {
            json.writeNull();
        } else {
            json.writeNumber(stats.satisfaction());
        }
    }

    /** The error body of the API; {@code extra} are name/value pairs of further string fields. */
    static void error(JsonGenerator json, String code, String message, String... extra) throws IOException {
        json.writeStartObject();
        json.writeStringField("error", code);
        json.writeStringField("message", message);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            optional(json, extra[i], extra[i + 1]);
        }
        json.writeEndObject();
    }

    static String instant(long epochMillis) {
        return IsoInstants.format(epochMillis);
    }

    private static void time(JsonGenerator json, String field, long epochMillis) throws IOException {
        if (epochMillis != 0) {
            json.writeStringField(field, instant(epochMillis));
        }
    }

    private static void time(JsonGenerator json, SerializedString field, long epochMillis) throws IOException {
        if (epochMillis != 0) {
            field(json, field, instant(epochMillis));
        }
    }

    private static void field(JsonGenerator json, SerializedString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    private static void optional(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    /**
     * A generator that writes root values one after another into whichever buffer is current.
     * Creating a Jackson generator per response (its I/O context, write context and buffers)
     * cost more than writing the claim with it; after each value {@code flush()} hands the bytes
     * to the current buffer, and no separator goes between root values.
     */
    private static final class Reusable extends OutputStream {
        final JsonGenerator json;
        ByteBuf target;

        Reusable() {
            try {
                json = FACTORY.createGenerator(this, JsonEncoding.UTF8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.setRootValueSeparator(null);
        }

        @Override
        public void write(int b) {
            target.writeByte(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            target.writeBytes(bytes, offset, length);
        }
    }
}
