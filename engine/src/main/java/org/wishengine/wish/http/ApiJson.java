package org.wishengine.wish.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.CampaignView;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Stats;
import org.wishengine.wish.core.WishSpec;
import org.wishengine.wish.core.WishView;

/**
 * Writes the API's JSON bodies straight into pooled buffers with Jackson's streaming generator:
 * no intermediate strings or maps on the claim path. Times are ISO-8601 instants in UTC.
 */
final class ApiJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private ApiJson() {
    }

    /** Something that writes one JSON value. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    static ByteBuf encode(ByteBufAllocator alloc, Body body) {
        ByteBuf buffer = alloc.buffer(256);
        try (JsonGenerator json = FACTORY.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buffer))) {
            body.write(json);
        } catch (IOException e) {
            buffer.release();
            throw new UncheckedIOException(e);
        }
        return buffer;
    }

    static void claim(JsonGenerator json, Claim claim) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", claim.id());
        json.writeStringField("wishId", claim.wishId());
        json.writeStringField("campaignId", claim.campaignId());
        json.writeStringField("userId", claim.userId());
        json.writeStringField("status", claim.status().wireName());
        time(json, "claimedAt", claim.claimedAt());
        time(json, "fulfilledAt", claim.fulfilledAt());
        time(json, "confirmedAt", claim.confirmedAt());
        time(json, "cancelledAt", claim.cancelledAt());
        time(json, "expiredAt", claim.expiredAt());
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

    static void wishes(JsonGenerator json, List<WishView> wishes) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("wishes");
        for (WishView wish : wishes) {
            wish(json, wish);
        }
        json.writeEndArray();
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
        time(json, "createdAt", campaign.createdAt());
        json.writeNumberField("wishCount", campaign.wishes().size());
        json.writeNumberField("units", campaign.units());
        json.writeNumberField("remaining", view.remaining());
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

    static void stats(JsonGenerator json, Stats stats, String campaignId) throws IOException {
        json.writeStartObject();
        optional(json, "campaignId", campaignId);
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
        json.writeEndObject();
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

    private static void optional(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
