package org.wishengine.wish.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.wishengine.wish.core.DrawView;

/**
 * The public audits of the last few drawn campaigns, as JSON bytes. An audit hashes every entry's
 * user (HMAC-SHA256) and lists every entry twice, so for a draw of 100,000 entries it is tens of
 * milliseconds of work and megabytes of JSON: made once per campaign and draw, then served from
 * here. A draw never changes once made, so nothing here goes stale.
 */
final class DrawAudits {

    private static final int KEPT = 8;

    private static final Map<String, byte[]> AUDITS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > KEPT;
        }
    };

    private DrawAudits() {
    }

    /** The audit of a drawn campaign's draw, as the draw route answers it. */
    static byte[] audit(String campaignId, DrawView draw) {
        // The commitment tells apart two publications of one campaign id (engines on other data in one JVM, in tests).
        String key = campaignId + '@' + draw.drawnAt() + '@' + draw.campaign().fairStart().seed().commitment();
        synchronized (AUDITS) {
            byte[] known = AUDITS.get(key);
            if (known != null) {
                return known;
            }
        }
        byte[] made = DrawAuditJson.write(draw.draw().audit(campaignId), draw.campaign().drawAt(), draw.drawnAt());
        synchronized (AUDITS) {
            AUDITS.put(key, made);
        }
        return made;
    }
}
