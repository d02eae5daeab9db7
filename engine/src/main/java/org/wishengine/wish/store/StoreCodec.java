package org.wishengine.wish.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Claim;

/**
 * JSON of the core records as Redis keeps them: the campaign definition, and each claim in the
 * {@code wish:{c}:claims} snapshot hash that the journal is folded into at start-up (the journal
 * itself is {@link ClaimJournal}'s format). Times are epoch millis. Unknown fields are ignored so
 * that a newer engine's data stays readable.
 */
public final class StoreCodec {

    private final ObjectMapper mapper = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
