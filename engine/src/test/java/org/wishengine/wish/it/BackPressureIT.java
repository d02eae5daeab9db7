package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wishengine.wish.it.GrabSupport.await;
import static org.wishengine.wish.it.GrabSupport.campaignBody;
import static org.wishengine.wish.it.GrabSupport.createCampaign;
import static org.wishengine.wish.it.GrabSupport.redisClaims;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.ring.Replier;
import org.wishengine.wish.ring.RingEntry;
import org.wishengine.wish.ring.WriterHooks;

/**
 * What one connection may make the engine hold: a client that pipelines large reads and never
 * reads the answers gets no more answers made than its write buffer holds, other clients are
 * served meanwhile, and everything arrives once it reads; a client that pipelines more than the
 * queue holds gets every accepted request answered, then one 503, then the connection closes.
 */
@Timeout(120)
class BackPressureIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String[] CAMPAIGN_ROUTE = {"method", "GET", "route", "/api/campaigns/{id}", "status", "200"};
    private static final String[] EXCESS_ROUTE = {"method", "other", "route", "unmatched", "status", "503"};

    @TempDir
    Path tmp;

    /** Requests answered with these labels so far (0 before the first). */
    private static double counter(EngineHarness harness, String[] labels) throws Exception {
        return harness.metrics().valueOrZero("wish_http_requests_seconds_count", labels);
    }

    @Test
    void shouldMakeNoMoreAnswersThanAClientReadsAndLoseNoneOfThem() throws Exception {
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            // ~450 KB per answer: every wish of the campaign.
            createCampaign(harness, campaignBody("c-big", 5, "big", Collections.nCopies(3_000, 1)));
            int pipelined = 40;
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < pipelined; i++) {
                requests.append(WireConnection.get("/api/campaigns/c-big", null));
            }
            try (WireConnection lazy = new WireConnection(harness.engine().port(), 60_000, 4 * 1024)) {
                lazy.send(requests.toString());
                await("the first answer to be made", WAIT, () -> {
                    try {
                        return counter(harness, CAMPAIGN_ROUTE) >= 1;
                    } catch (Exception e) {
                        return false;
                    }
                });
                // Wait until the engine has stopped making answers for the client that does not read.
                double[] last = {-1};
                await("the engine to stop answering a client that does not read", WAIT, () -> {
                    try {
                        double now = counter(harness, CAMPAIGN_ROUTE);
                        boolean settled = now == last[0];
                        last[0] = now;
                        return settled;
                    } catch (Exception e) {
                        return false;
                    }
                });
                double made = counter(harness, CAMPAIGN_ROUTE);
                assertTrue(made < pipelined / 2, "answers made for a client that reads none: " + made);

                // Others are served meanwhile.
                assertEquals(200, harness.get("/api/campaigns/c-big", null).statusCode());

                // Once it reads, every answer arrives, whole and in order.
                for (int i = 0; i < pipelined; i++) {
                    WireConnection.Response answer = lazy.read();
                    assertEquals(200, answer.status());
                    assertEquals(3_000, answer.json().path("wishes").size());
                }
            }
        }
    }

    @Test
    void shouldAnswerEveryAcceptedPipelinedRequestThenRefuseTheExcessAndClose() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        try (EngineHarness harness = EngineHarness.start(tmp)) {
            harness.stopEngine();
            harness.startEngine(new WriterHooks() {
                @Override
                public List<Replier> watchers() {
                    return List.of(new Replier() {
                        @Override
                        public void reply(RingEntry entry) {
                            if (entry.command instanceof Command.ClaimWish && held.compareAndSet(false, true)) {
                                try {
                                    release.await(); // the first claim holds the writer: the rest must queue
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        }

                        @Override
                        public Runnable endOfBatch() {
                            return null;
                        }
                    });
                }
            });
            createCampaign(harness, campaignBody("c-pipe", 1, "p", Collections.nCopies(200, 1)));
            int sent = 200;
            StringBuilder burst = new StringBuilder();
            for (int i = 1; i <= sent; i++) {
                burst.append(WireConnection.claim("p" + i, harness.userToken("piper" + i)));
            }
            try (WireConnection connection = new WireConnection(harness.engine().port())) {
                connection.send(burst.toString()); // one write
                await("the engine to see more pipelined requests than it queues", WAIT, () -> {
                    try {
                        return counter(harness, EXCESS_ROUTE) >= 1;
                    } catch (Exception e) {
                        return false;
                    }
                });
                release.countDown();
                List<WireConnection.Response> answers = new ArrayList<>();
                WireConnection.Response answer;
                while ((answer = connection.readOrNull()) != null) {
                    answers.add(answer);
                    if (answer.status() == 503) {
                        break;
                    }
                }
                assertEquals(66, answers.size(), "1 in the ring + 64 queued answered, then one refusal: " + answers);
                Set<String> acknowledged = new HashSet<>();
                for (int i = 0; i < 65; i++) {
                    WireConnection.Response claim = answers.get(i);
                    assertEquals(201, claim.status(), claim::toString);
                    assertEquals("p" + (i + 1), claim.json().path("wishId").asText(), "answered in request order");
                    acknowledged.add(claim.json().path("id").asText());
                }
                WireConnection.Response refusal = answers.get(65);
                assertEquals("overloaded", refusal.error());
                assertEquals("close", refusal.header("connection"));
                assertTrue(connection.closedByServer(), "the connection closes after the refusal");
                assertEquals(acknowledged, redisClaims(harness.redis().uri(), "c-pipe").keySet(),
                        "exactly the answered claims were committed");
            }
        }
    }
}
