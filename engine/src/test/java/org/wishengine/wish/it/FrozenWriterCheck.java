package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The checks the fencing tests share (a single Redis in {@code FencingIT}, a cluster node in
 * {@code ClusterIT}): claims are sent to a writer before, at and after it is frozen, another takes
 * over, the frozen one wakes; then nothing sent while it was frozen may have been acknowledged,
 * every acknowledged claim is in the ledger once, no unit went twice, and a claim in the ledger
 * that was never acknowledged is one the writer held at the freeze whose batch Redis applied
 * before the takeover: it was answered 503, and a retry on the new writer returns it with 200.
 */
final class FrozenWriterCheck {

    /** One claim request: the phase it was sent in, by whom, on which wish, and its answer. */
    record Sent(String phase, String user, String wish, CompletableFuture<HttpResponse<String>> answer) {
    }

    /** Claims again, as a client retrying after a 503 would, on the writer that took over. */
    interface Retry {
        HttpResponse<String> claim(String wish, String user) throws Exception;
    }

    private FrozenWriterCheck() {
    }

    /**
     * The acknowledged (201) claims by id; every request of {@code frozenPhase} must have been
     * answered 503, and no claim id acknowledged twice.
     */
    static Map<String, Sent> acknowledged(List<Sent> all, String frozenPhase) throws Exception {
        Map<String, Sent> acknowledged = new HashMap<>();
        for (Sent s : all) {
            HttpResponse<String> response = s.answer.get(40, TimeUnit.SECONDS);
            if (s.phase.equals(frozenPhase)) {
                assertNotEquals(201, response.statusCode(),
                        () -> "a frozen writer acknowledged " + s.user + " on " + s.wish + ": " + response.body());
                assertEquals(503, response.statusCode(), response::body);
            }
            if (response.statusCode() == 201) {
                String claimId = GrabSupport.json(response).path("id").asText();
                assertEquals(null, acknowledged.put(claimId, s), () -> "claim id " + claimId + " acknowledged twice");
            }
        }
        return acknowledged;
    }

    /**
     * The ledger holds every acknowledged claim, each unit once, and {@code wishes} units in all;
     * a claim in it that was never acknowledged must have been sent in {@code atFreezePhase}.
     */
    static void assertLedger(Map<String, JsonNode> ledger, Map<String, Sent> acknowledged, List<Sent> all,
                             String atFreezePhase, Retry retry, int wishes) throws Exception {
        assertTrue(ledger.keySet().containsAll(acknowledged.keySet()),
                () -> "acknowledged but not in the ledger: " + acknowledged.keySet());
        Map<String, Sent> byUser = new HashMap<>();
        all.forEach(s -> byUser.put(s.user, s));
        Set<String> wishesHeld = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : ledger.entrySet()) {
            JsonNode claim = entry.getValue();
            Sent s = acknowledged.get(entry.getKey());
            if (s == null) {
                Sent unanswered = byUser.get(claim.path("userId").asText());
                assertEquals(atFreezePhase, unanswered.phase, () -> "in the ledger, never acknowledged: " + claim);
                assertEquals(503, unanswered.answer.join().statusCode());
                HttpResponse<String> again = retry.claim(unanswered.wish, unanswered.user);
                assertEquals(200, again.statusCode(), again::body);
                assertEquals(entry.getKey(), GrabSupport.json(again).path("id").asText(), "the retry finds the claim");
                s = unanswered;
            }
            assertEquals(s.user, claim.path("userId").asText());
            assertEquals(s.wish, claim.path("wishId").asText());
            assertTrue(wishesHeld.add(claim.path("wishId").asText()), () -> "unit given twice: " + claim);
        }
        assertEquals(wishes, wishesHeld.size(), "the new writer gave away what the frozen one had not");
    }
}
