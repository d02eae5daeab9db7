package org.wishengine.wish.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.wishengine.wish.it.FrozenWriterCheck.Sent;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.wishengine.wish.auth.TokenMinter;
import org.wishengine.wish.store.LocalRedis;

/**
 * One writer per store, enforced by the store: engines run from the built jar as processes of
 * their own on one external Redis that the test starts. A second engine started beside a live one
 * refuses to start; an engine frozen (SIGSTOP) past its lease while it works is replaced by
 * another, and when it wakes up nothing it decides afterwards is acknowledged or written.
 */
@Timeout(180)
class FencingIT {

    private static final String ADMIN_TOKEN = "fencing-admin-token";
    private static final String TOKEN_SECRET = "fencing-user-token-secret-0123456789";
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final TokenMinter minter = new TokenMinter(TOKEN_SECRET);
    private final HttpClient http = GrabSupport.newClient();
    private LocalRedis redis;
    private EngineProcesses engines;

    /** A Redis Cluster, for the runs on one; null otherwise. */
    private RedisCluster cluster;

    @BeforeEach
    void startRedis() {
        redis = LocalRedis.start(tmp.resolve("redis"));
        engines = new EngineProcesses(tmp, ADMIN_TOKEN, TOKEN_SECRET);
    }

    /** The flags that put an engine on the store under test: the single Redis, or a cluster. */
    private String[] store(String kind) {
        if (kind.equals("cluster")) {
            if (cluster == null) {
                cluster = RedisCluster.start(tmp.resolve("cluster"), 3, 1);
            }
            return new String[] {"--redis-cluster", String.join(",", cluster.seedUris())};
        }
        return new String[] {"--redis-url", redis.uri()};
    }

    private static String[] with(String[] store, String... more) {
        String[] all = java.util.Arrays.copyOf(store, store.length + more.length);
        System.arraycopy(more, 0, all, store.length, more.length);
        return all;
    }

    @AfterEach
    void stopAll() {
        try {
            engines.killAll();
        } finally {
            redis.stop();
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    void shouldRefuseASecondEngineOnTheSameRedisWhileTheFirstOneLives() throws Exception {
        EngineProcess first = engines.start(tmp.resolve("first"), "--redis-url", redis.uri(), "--node-id", "first");
        first.createCampaign(GrabSupport.campaignBody("c-one", 1, "one-", List.of(1)));

        EngineProcess second = engines.launch(tmp.resolve("second"), "--redis-url", redis.uri(), "--node-id", "second");

        assertEquals(1, second.awaitExit(), second::logTail);
        String refusal = "Another engine writes to " + redis.uri() + ": node first (pid " + first.process.pid();
        assertTrue(second.logText().contains(refusal), () -> "expected '" + refusal + "' in:\n" + second.logTail());
        assertTrue(second.logText().contains("Only one engine may write to a Redis; stop that one first."),
                second::logTail);
        // The finding this replaces: both engines gave the one unit away, each as cl-1.
        assertEquals(201, claim(first, "one-1", "alice").join().statusCode());
        assertEquals(409, claim(first, "one-1", "bob").join().statusCode());
        assertEquals(1, first.ledger("c-one").size());
        assertEquals(200, first.get("/health/ready", null).statusCode(), first::logTail);
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"redis", "cluster"})
    void shouldFenceOutAFrozenEngineThatWakesUpAfterAnotherTookOver(String kind) throws Exception {
        int wishes = 40;
        EngineProcess a = engines.start(tmp.resolve("a"), with(store(kind), "--node-id", "a",
                "--lease-millis", "1000"));
        a.createCampaign(GrabSupport.campaignBody("c-race", 1, "r", Collections.nCopies(wishes, 1)));

        // A works: ten claims answered, then twenty more sent and A frozen while it handles them.
        List<Sent> sent = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            sent.add(new Sent("a-before", "p" + i, "r" + i, claim(a, "r" + i, "p" + i)));
        }
        for (Sent s : sent) {
            assertEquals(201, s.answer().get(30, TimeUnit.SECONDS).statusCode(), a::logTail);
        }
        for (int i = 11; i <= 30; i++) {
            sent.add(new Sent("a-at-freeze", "q" + i, "r" + i, claim(a, "r" + i, "q" + i)));
        }
        a.pause();

        // Whatever reaches A from now on is decided after its lease ran out.
        for (int i = 1; i <= wishes; i++) {
            sent.add(new Sent("a-frozen", "s" + i, "r" + i, claim(a, "r" + i, "s" + i)));
        }
        EngineProcess b = engines.start(tmp.resolve("b"), with(store(kind), "--node-id", "b",
                "--lease-millis", "1000"));
        if (kind.equals("redis")) {
            assertTrue(b.logText().contains("Writer lease wish:writer taken as node b at epoch 2"), b::logTail);
        } else {
            // B joined A's cluster as a node: it takes the campaign once A's lease on it ran out.
            GrabSupport.await("node b to take the campaign over", Duration.ofSeconds(15),
                    () -> b.logText().contains("Node b serves campaign c-race"));
        }
        List<Sent> byB = new ArrayList<>();
        for (int i = 1; i <= wishes; i++) {
            byB.add(new Sent("b", "t" + i, "r" + i, claim(b, "r" + i, "t" + i)));
        }
        for (Sent s : byB) {
            s.answer().get(30, TimeUnit.SECONDS);
        }
        a.resume();

        List<Sent> all = new ArrayList<>(sent);
        all.addAll(byB);
        Map<String, Sent> acknowledged = FrozenWriterCheck.acknowledged(all, "a-frozen");

        // Every acknowledged claim is in the ledger and no unit went twice. Besides those, the ledger
        // may hold claims of requests sent to A before the freeze whose batch Redis applied while
        // A froze, before B took over: A's wait for the answer timed out when it woke, its re-send
        // was fenced, so they were answered 503, not acknowledged; a retry on B returns each.
        Map<String, JsonNode> ledger = b.ledger("c-race");
        FrozenWriterCheck.assertLedger(ledger, acknowledged, all, "a-at-freeze",
                (wish, user) -> claim(b, wish, user).join(), wishes);
        if (kind.equals("redis")) {
            assertEquals(ledger.keySet(), GrabSupport.redisClaims(redis.uri(), "c-race").keySet());
        }

        // The woken engine says why it serves no more.
        GrabSupport.await("the woken engine to report itself fenced", Duration.ofSeconds(10), () -> {
            try {
                HttpResponse<String> ready = a.get("/health/ready", null);
                return ready.statusCode() == 503 && ready.body().contains("writer fenced");
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(503, a.post("/api/wishes/r1/claims", minter.mint("late")).statusCode());
    }

    private CompletableFuture<HttpResponse<String>> claim(EngineProcess engine, String wishId, String user) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port
                        + "/api/wishes/" + wishId + "/claims"))
                .header("Authorization", "Bearer " + minter.mint(user))
                .timeout(ANSWER_WITHIN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** One claim request: who sent it, on which wish, and in which phase of the test. */
}
