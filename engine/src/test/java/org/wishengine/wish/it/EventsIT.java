package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.wishengine.wish.it.ClaimLifecycleSupport.ADMIN;
import static org.wishengine.wish.it.ClaimLifecycleSupport.act;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertClaim;
import static org.wishengine.wish.it.ClaimLifecycleSupport.assertError;
import static org.wishengine.wish.it.ClaimLifecycleSupport.campaign;
import static org.wishengine.wish.it.ClaimLifecycleSupport.claim;
import static org.wishengine.wish.it.ClaimLifecycleSupport.remaining;
import static org.wishengine.wish.it.GrabSupport.MAPPER;
import static org.wishengine.wish.it.GrabSupport.await;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.it.SseSocketReader.Frame;

/**
 * The event stream (API section 7) read off a raw socket: which changes (and new campaigns) produce which frames, in
 * commit order, with ids increasing by one; {@code Last-Event-ID} replay; nothing for refusals;
 * and a stalled subscriber that is dropped without holding up claims.
 */
@Timeout(90)
class EventsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Bytes of SSE frames one claim of a single-unit wish with 64-character ids yields (a lower bound). */
    private static final int BYTES_PER_CLAIM = 440;

    @TempDir
    Path tmp;

    /** One expected frame: event name, wish, units left. */
    private record Expected(String event, String wishId, int remaining) {
    }

    @Test
    void everyCommittedChangeIsOneFrameInOrderAndReconnectingReplaysTheRest() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp);
             SseSocketReader stream = SseSocketReader.open(harness.engine().port(), null, WAIT)) {
            assertEquals(200, stream.status());
            assertEquals("text/event-stream; charset=utf-8", stream.header("Content-Type"));
            assertEquals("no-cache", stream.header("Cache-Control"));
            Frame retry = stream.next(WAIT);
            assertEquals("2000", retry.retry(), retry::toString);
            assertNull(retry.id(), retry::toString);

            // Each new campaign is one "campaign" frame with its title (escaped), opening and units.
            createCampaign(harness, campaign("ev", 2, 168, "ev-w", 2, 1));
            createCampaign(harness, campaign("ev-quiet", 1, 168, "ev-quiet-w", 1));
            String tricky = "Say \"hi\" \\ 你好";
            createCampaign(harness, "{\"id\":\"ev-title\",\"title\":" + MAPPER.writeValueAsString(tricky)
                    + ",\"wishes\":[{\"id\":\"ev-title-w1\",\"title\":\"x\",\"quantity\":3}]}");
            List<Frame> created = stream.next(3, WAIT);
            assertCampaignFrame(harness, created.get(0), "ev", "Campaign ev", 3);
            assertCampaignFrame(harness, created.get(1), "ev-quiet", "Campaign ev-quiet", 1);
            assertCampaignFrame(harness, created.get(2), "ev-title", tricky, 3);
            assertConsecutiveIds(created);

            String c1 = claim(harness, "u1", "ev-w1", 201).path("id").asText();
            String c2 = claim(harness, "u2", "ev-w1", 201).path("id").asText(); // the last unit
            // Refusals and repeats change nothing, so they announce nothing.
            assertEquals("sold_out", claim(harness, "u3", "ev-w1", 409).path("error").asText());
            assertEquals(c1, claim(harness, "u1", "ev-w1", 200).path("id").asText());
            claim(harness, "u3", "no-such-wish", 404);
            assertError(act(harness, harness.userToken("u3"), c2, "cancel", null), 403, "forbidden");
            assertError(act(harness, ADMIN, c1, "confirm", "{\"rating\":5}"), 409, "invalid_state");
            assertError(act(harness, ADMIN, c1, "confirm", "{\"rating\":0}"), 400, "invalid_request");

            assertClaim(act(harness, harness.userToken("u2"), c2, "cancel", null), "cancelled");
            assertError(act(harness, harness.userToken("u2"), c2, "cancel", null), 409, "invalid_state");
            assertClaim(act(harness, harness.userToken("u1"), c1, "fulfil", null), "fulfilled");
            assertClaim(act(harness, ADMIN, c1, "confirm", "{\"rating\":5}"), "confirmed");
            claim(harness, "u3", "ev-w2", 201);

            List<Expected> expected = List.of(
                    new Expected("claimed", "ev-w1", 1),
                    new Expected("claimed", "ev-w1", 0),
                    new Expected("sold_out", "ev-w1", 0),
                    new Expected("released", "ev-w1", 1),
                    new Expected("fulfilled", "ev-w1", 1),
                    new Expected("confirmed", "ev-w1", 1),
                    new Expected("claimed", "ev-w2", 0),
                    new Expected("sold_out", "ev-w2", 0));
            List<Frame> frames = stream.next(expected.size(), WAIT);
            assertFrames(expected, "ev", frames);
            assertConsecutiveIds(frames);
            assertEquals(created.get(2).numericId() + 1, frames.get(0).numericId());

            // Reconnect after the first event: exactly the later ones come back, then live ones.
            try (SseSocketReader resumed = SseSocketReader.open(harness.engine().port(), frames.get(0).id(), WAIT)) {
                assertEquals(200, resumed.status());
                assertEquals("2000", resumed.next(WAIT).retry());
                assertEquals(frames.subList(1, frames.size()), resumed.next(frames.size() - 1, WAIT));

                claim(harness, "u2", "ev-w1", 201);
                List<Frame> live = stream.next(2, WAIT);
                assertFrames(List.of(new Expected("claimed", "ev-w1", 0), new Expected("sold_out", "ev-w1", 0)),
                        "ev", live);
                assertEquals(frames.get(frames.size() - 1).numericId() + 1, live.get(0).numericId());
                assertEquals(live, resumed.next(2, WAIT), "the resumed stream continues live, without a gap or a repeat");
            }
            List<Frame> all = stream.seen().subList(1, stream.seen().size());
            assertConsecutiveIds(all);

            // A Last-Event-ID from before this run: everything still kept, then a reset.
            try (SseSocketReader stale = SseSocketReader.open(harness.engine().port(), "1", WAIT);
                 SseSocketReader garbage = SseSocketReader.open(harness.engine().port(), "not-a-number", WAIT);
                 SseSocketReader current = SseSocketReader.open(harness.engine().port(),
                         all.get(all.size() - 1).id(), WAIT)) {
                assertEquals("2000", stale.next(WAIT).retry());
                assertEquals(all, stale.next(all.size(), WAIT));
                Frame reset = stale.next(WAIT);
                assertEquals("reset", reset.event(), reset::toString);
                assertNull(reset.id(), reset::toString);
                assertTrue(parse(reset.data()).path("reason").isTextual(), reset::toString);
                assertEquals("2000", garbage.next(WAIT).retry());
                assertEquals("2000", current.next(WAIT).retry());

                // The next live event is the first thing after that on all three.
                claim(harness, "u4", "ev-quiet-w1", 201);
                List<Expected> next = List.of(new Expected("claimed", "ev-quiet-w1", 0),
                        new Expected("sold_out", "ev-quiet-w1", 0));
                List<Frame> live = stream.next(2, WAIT);
                assertFrames(next, "ev-quiet", live);
                assertEquals(live, stale.next(2, WAIT));
                assertEquals(live, garbage.next(2, WAIT), "a non-numeric Last-Event-ID is ignored: live only");
                assertEquals(live, current.next(2, WAIT), "nothing to replay after the newest id");
            }
            assertConsecutiveIds(stream.seen().subList(1, stream.seen().size()));
        }
    }

    @Test
    void expiryReleasesEachUnitWithTheUnitsLeftAfterIt() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp, config -> config.withExpiryInterval(Duration.ofHours(1)));
             SseSocketReader stream = SseSocketReader.open(harness.engine().port(), null, WAIT)) {
            assertEquals("2000", stream.next(WAIT).retry());
            createCampaign(harness, campaign("ev-exp", 1, 1, "ev-exp-w", 2));
            assertCampaignFrame(harness, stream.next(WAIT), "ev-exp", "Campaign ev-exp", 2);
            claim(harness, "u1", "ev-exp-w1", 201);
            claim(harness, "u2", "ev-exp-w1", 201);
            assertFrames(List.of(new Expected("claimed", "ev-exp-w1", 1), new Expected("claimed", "ev-exp-w1", 0),
                    new Expected("sold_out", "ev-exp-w1", 0)), "ev-exp", stream.next(3, WAIT));

            harness.clock().advance(Duration.ofHours(2));
            harness.engine().expireNow();
            assertEquals(2, remaining(harness, "ev-exp-w1"));
            // Both claims expire in the same tick; each unit's "released" tells the units left after it.
            assertFrames(List.of(new Expected("released", "ev-exp-w1", 1), new Expected("released", "ev-exp-w1", 2)),
                    "ev-exp", stream.next(2, WAIT));
            assertConsecutiveIds(stream.seen().subList(1, stream.seen().size()));
        }
    }

    @Test
    void stalledSubscriberIsDroppedWhileEveryClaimCompletes() throws Exception {
        // The engine drops a subscriber once ~256 KiB wait in its Netty outbound buffer, but the
        // kernel's send buffer for the socket (autotuned up to tcp_wmem's maximum, 4 MiB by
        // default) fills first. Each claim below takes the only unit of a wish with 64-character
        // ids, so it yields "claimed" and "sold_out" frames of ~230 bytes each; send enough of them
        // to overflow the largest possible kernel buffer plus the engine's limit.
        long needed = sendBufferMax() + 256 * 1024;
        int claims = (int) Math.min(40_000, needed * 105 / 100 / BYTES_PER_CLAIM + 1);
        int perCampaign = 4000;
        int threads = 8;
        List<String> wishIds = new ArrayList<>(claims);
        try (EngineHarness harness = EngineHarness.start(tmp);
             Socket stalled = new Socket()) {
            for (int k = 0; k * perCampaign < claims; k++) {
                int size = Math.min(perCampaign, claims - k * perCampaign);
                int[] ones = new int[size];
                java.util.Arrays.fill(ones, 1);
                String campaignId = "stalled-campaign-" + "c".repeat(44) + k;
                String wishPrefix = "w" + k + "-" + "x".repeat(56) + "-";
                createCampaign(harness, campaign(campaignId, 1, 168, wishPrefix, ones));
                for (int i = 1; i <= size; i++) {
                    wishIds.add(wishPrefix + i);
                }
            }
            assertTrue(wishIds.stream().allMatch(id -> id.length() <= 64));

            stalled.setReceiveBufferSize(1024);
            stalled.connect(new InetSocketAddress("127.0.0.1", harness.engine().port()), 5000);
            SseSocketReader.sendRequest(stalled, null); // and never read
            await("the stalled subscriber to be registered", WAIT, () -> subscribers(harness) == 1);

            List<String> tokens = new ArrayList<>(claims);
            for (int i = 0; i < claims; i++) {
                tokens.add(harness.userToken("s" + i));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<int[]>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    results.add(pool.submit(() -> {
                        HttpClient client = GrabSupport.newClient();
                        int[] byStatus = new int[600];
                        for (int i = first; i < claims; i += threads) {
                            HttpResponse<String> response = client.send(
                                    GrabSupport.claimRequest(harness, wishIds.get(i), tokens.get(i), Duration.ofSeconds(30)),
                                    HttpResponse.BodyHandlers.ofString());
                            byStatus[response.statusCode()]++;
                        }
                        return byStatus;
                    }));
                }
                // Generous: the point is that claims complete at all, not how fast.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int created = 0;
                for (Future<int[]> result : results) {
                    int[] byStatus = result.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    for (int status = 0; status < byStatus.length; status++) {
                        if (byStatus[status] > 0 && status != 201) {
                            fail(byStatus[status] + " claims answered " + status);
                        }
                    }
                    created += byStatus[201];
                }
                assertEquals(claims, created, "every claim completes with 201 despite the stalled subscriber");
            } finally {
                pool.shutdownNow();
            }

            await("the stalled subscriber to be dropped", WAIT, () -> subscribers(harness) == 0);
            assertEquals(0, remaining(harness, wishIds.get(claims - 1)));

            // Draining the stalled socket ends in EOF: the engine closed it. (The kernel still holds
            // the megabytes it accepted before the drop; a larger receive buffer drains them fast.)
            stalled.setReceiveBufferSize(1 << 20);
            assertClosedAfterDraining(stalled);

            // The stream still works for a fresh subscriber.
            createCampaign(harness, campaign("ev-after", 1, 168, "ev-after-w", 2));
            try (SseSocketReader fresh = SseSocketReader.open(harness.engine().port(), null, WAIT)) {
                assertEquals("2000", fresh.next(WAIT).retry());
                claim(harness, "late", "ev-after-w1", 201);
                assertFrames(List.of(new Expected("claimed", "ev-after-w1", 1)), "ev-after", fresh.next(1, WAIT));
                assertEquals(1, subscribers(harness));
            }
        }
    }

    /** The most the kernel may buffer for one TCP socket's sends (tcp_wmem's maximum), 4 MiB if unknown. */
    private static long sendBufferMax() {
        try {
            String[] values = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_wmem")).trim().split("\\s+");
            return Long.parseLong(values[2]);
        } catch (IOException | RuntimeException e) {
            return 4L << 20;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertFrames(List<Expected> expected, String campaignId, List<Frame> frames) {
        assertEquals(expected.size(), frames.size(), frames::toString);
        for (int i = 0; i < expected.size(); i++) {
            Expected want = expected.get(i);
            Frame frame = frames.get(i);
            String where = "frame " + i + " of " + frames;
            assertEquals(want.event(), frame.event(), where);
            assertTrue(frame.id() != null && frame.id().matches("[0-9]+"), where);
            JsonNode data = parse(frame.data());
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            assertEquals(List.of("wishId", "campaignId", "remaining", "type"), names, where);
            assertEquals(MAPPER.createObjectNode().put("wishId", want.wishId()).put("campaignId", campaignId)
                    .put("remaining", want.remaining()).put("type", want.event()), data, where);
        }
    }

    /** A {@code campaign} frame: the new campaign's id, title, opening (as the API lists it) and units. */
    private static void assertCampaignFrame(EngineHarness harness, Frame frame, String campaignId, String title, int units)
            throws IOException, InterruptedException {
        assertEquals("campaign", frame.event(), frame::toString);
        assertTrue(frame.id() != null && frame.id().matches("[0-9]+"), frame::toString);
        JsonNode data = parse(frame.data());
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("campaignId", "title", "opensAt", "units", "type"), names, frame::toString);
        String opensAt = GrabSupport.json(harness.get("/api/campaigns/" + campaignId, null)).path("opensAt").asText();
        assertEquals(MAPPER.createObjectNode().put("campaignId", campaignId).put("title", title).put("opensAt", opensAt)
                .put("units", units).put("type", "campaign"), data, frame::toString);
    }

    private static void assertConsecutiveIds(List<Frame> frames) {
        for (int i = 1; i < frames.size(); i++) {
            assertEquals(frames.get(i - 1).numericId() + 1, frames.get(i).numericId(),
                    "ids increase by one per event: " + frames);
        }
    }

    /** The {@code wish_events_subscribers} gauge from {@code GET /metrics}, or -1 if absent. */
    private static int subscribers(EngineHarness harness) {
        try {
            HttpResponse<String> metrics = harness.get("/metrics", null);
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("wish_events_subscribers ") || line.startsWith("wish_events_subscribers{")) {
                    return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void assertClosedAfterDraining(Socket socket) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long drained = 0;
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            } catch (SocketException e) {
                return; // reset by the engine: dropped as well
            }
            if (read < 0) {
                return;
            }
            drained += read;
        }
        fail("the stalled event stream was not closed (" + drained + " bytes drained in " + WAIT.toMillis() + " ms)");
    }
}
