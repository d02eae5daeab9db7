package org.wishengine.wish.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.DrawSeed;

/**
 * JSON of the core records as Redis keeps them: the campaign definition, and each claim in the
 * {@code wish:{c}:claims} snapshot hash that the journal is folded into at start-up (the journal
 * itself is {@link ClaimJournal}'s format). Times are epoch millis. Unknown fields are ignored so
 * that a newer engine's data stays readable.
 */
public final class StoreCodec {

    private final ObjectMapper mapper = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("draw-seed")
                    // The seed of a fair start is stored with its campaign, as its 64 hex digits:
                    // Redis is the engine's own store, and the seed must survive a restart.
                    .addSerializer(DrawSeed.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(DrawSeed seed, JsonGenerator json, SerializerProvider provider)
                                throws IOException {
                            json.writeString(seed.hex());
                        }
                    })
                    .addDeserializer(DrawSeed.class, new JsonDeserializer<>() {
                        @Override
                        public DrawSeed deserialize(JsonParser json, DeserializationContext context) throws IOException {
                            try {
                                return DrawSeed.parse(json.getValueAsString());
                            } catch (IllegalArgumentException e) {
                                throw JsonMappingException.from(json, "bad fair-start seed", e);
                            }
                        }
                    }));

    public String write(Claim claim) {
        return toJson(claim);
    }

    public String write(Campaign campaign) {
        return toJson(campaign);
    }

    public Claim readClaim(String json) throws JsonProcessingException {
        return mapper.readValue(json, Claim.class);
    }

    public Campaign readCampaign(String json) throws JsonProcessingException {
        return mapper.readValue(json, Campaign.class);
    }

    private String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
