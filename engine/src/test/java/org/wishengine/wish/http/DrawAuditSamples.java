package org.wishengine.wish.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.wishengine.wish.core.Draw;
import org.wishengine.wish.core.DrawAudit;
import org.wishengine.wish.core.DrawEntry;
import org.wishengine.wish.core.DrawSeed;
import org.wishengine.wish.core.DrawSettlement;

/**
 * A genuine fair-start draw and its bodies of {@code GET /api/campaigns/{id}/draw}, for the tests
 * of {@link DrawAuditJson} and of the {@code verify-draw} command. Fixed, so no test can flake.
 */
public final class DrawAuditSamples {

    public static final String CAMPAIGN = "c-7";
    public static final long DRAW_AT = Instant.parse("2026-12-24T20:00:10Z").toEpochMilli();
    public static final long DRAWN_AT = DRAW_AT + 250;
    /** The seed 00 01 02 ... 1f of the published test vector. */
    public static final DrawSeed SEED;

    static {
        byte[] bytes = new byte[DrawSeed.LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        SEED = DrawSeed.of(bytes);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private DrawAuditSamples() {
    }

    /**
     * 12 entries by 8 users on wishes w-1 and w-2 (arrival 101..112), 3 + 2 units, limit 1, user-3
     * holding w-1 from before; wish w-10 has a unit and no entry, so the ids sort as strings.
     */
    public static DrawAudit audit() {
        List<DrawEntry> entries = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            entries.add(new DrawEntry("en-" + i, "w-" + (1 + i % 2), "user-" + (i % 8), 100 + i));
        }
        return Draw.run(SEED, entries, Map.of("w-2", 2, "w-10", 1, "w-1", 3), 1,
                List.of(new DrawSettlement.Held("user-3", "w-1"))).audit(CAMPAIGN);
    }

    /** The drawn body of {@link #audit()}. */
    public static byte[] drawnBody() {
        return DrawAuditJson.write(audit(), DRAW_AT, DRAWN_AT);
    }

    /** The drawn body as a tree, to be altered. */
    public static ObjectNode drawnTree() {
        try {
            return (ObjectNode) JSON.readTree(drawnBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of the campaign before its draw, with {@code entryCount} entries so far. */
    public static byte[] pendingBody(int entryCount) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.getFactory().createGenerator(bytes)) {
            DrawAuditJson.writePending(json, CAMPAIGN, SEED.commitment(), DRAW_AT, entryCount);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] bytes(ObjectNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
