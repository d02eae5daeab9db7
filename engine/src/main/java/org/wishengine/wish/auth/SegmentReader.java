package org.wishengine.wish.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * Reads one decoded token segment (the header or the payload), which must be exactly one JSON
 * object, and hands each member to the subclass, which keeps what it needs. One walker serves
 * both segments so the structural rules (one object, nothing after it, any parse error is
 * {@link AuthFailure#MALFORMED}) cannot drift apart. A plain flat object, what tokens usually are,
 * is read by {@link FlatSegment} without a Jackson parser; anything else by Jackson's, from the
 * start. Instances are mutable and reused per thread, so reading a plain segment allocates nothing
 * but the strings a subclass keeps.
 */
abstract class SegmentReader {

    // Shared: JsonFactory is thread-safe once configured. Source text is kept out of exception
    // locations so a token fragment can never end up in a log via an exception message.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final FlatSegment flat = new FlatSegment();
    private final SegmentValue.OfParser parsed = new SegmentValue.OfParser();

    /** Forgets the previous segment. */
    abstract void reset();

    /**
     * Takes one member whose value is the parser's current token.
     *
     * @return a failure to stop reading, or null to go on; an object or array value the subclass
     *     did not read is skipped by the caller
     */
    abstract AuthFailure member(String name, JsonToken value, SegmentValue p) throws IOException;

    /** The verdict once the whole object has been read: null if what was collected is acceptable. */
    abstract AuthFailure finish();

    /**
     * The text of a member that must be a string and appear once.
     *
     * @param earlier the text of the same member seen before in this segment, or null
     * @return the text, or null if the member is repeated or not a string (the segment is then
     *     malformed)
     */
    static String firstString(String earlier, JsonToken value, SegmentValue p) throws IOException {
        return earlier == null && value == JsonToken.VALUE_STRING ? p.getText() : null;
    }

    /** Reads {@code json[0, len)}; returns null if it is acceptable. */
    final AuthFailure read(byte[] json, int len) {
        reset();
        try {
            if (flat.read(json, len, this)) {
                return flat.verdict();
            }
        } catch (IOException e) {
            return AuthFailure.MALFORMED; // a member read its value as what it is not, as Jackson's would refuse
        }
        reset(); // the flat reader gave up, perhaps after handing over some members
        try (JsonParser p = JSON.createParser(json, 0, len)) {
            parsed.parser = p;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return AuthFailure.MALFORMED;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                AuthFailure failure = member(name, p.nextToken(), parsed);
                if (failure != null) {
                    return failure;
                }
                p.skipChildren(); // a no-op unless the value is an object or array
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return AuthFailure.MALFORMED;
            }
        } catch (IOException e) {
            return AuthFailure.MALFORMED;
        } finally {
            parsed.parser = null;
        }
        return finish();
    }
}
