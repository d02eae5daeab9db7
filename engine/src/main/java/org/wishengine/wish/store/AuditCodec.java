package org.wishengine.wish.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import org.wishengine.wish.core.AuditRecord;

/**
 * The format of one element of {@link Keys#AUDIT}: the {@link AuditRecord} as a JSON object
 * ({@code at} epoch millis; null fields left out; unknown fields ignored, so that a newer
 * engine's records stay readable). Thread-safe.
 */
public final class AuditCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private AuditCodec() {
    }

    public static String write(AuditRecord record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a record of strings and a long always writes
        }
    }

    /** The record in this element; IllegalArgumentException when it is not one. */
    public static AuditRecord read(String element) {
        try {
            return MAPPER.readValue(element, AuditRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an audit record: " + e.getOriginalMessage(), e);
        }
    }
}
