package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.CharsetUtil;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.cluster.PeerUnavailable.Reason;
import org.wishengine.wish.http.ServerTransport;

/**
 * {@link PeerClient} against a real HTTP server ({@link StubPeer}) on a free port, on the
 * engine's own transport, with every buffer tracked by Netty's leak detector. Each request body
 * is checked to be back with its caller (reference count 1) once the send is over, whatever the
 * outcome.
 */
class PeerClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LeakLog leakLog;
    private final List<FullHttpRequest> sent = new ArrayList<>();
    private final CountedEvents counted = new CountedEvents();
    private ServerTransport transport;
    private StubPeer peer;
    private PeerClient client;

    @BeforeAll
    static void trackEveryBuffer() {
        leakLog = new LeakLog();
    }

    @AfterAll
    static void stopTracking() {
        leakLog.close();
    }

    @BeforeEach
    void start() throws InterruptedException {
        transport = ServerTransport.create(2, "peer-client-test");
        peer = new StubPeer();
        client = new PeerClient("node-a", transport.loops(), transport.clientChannelType(), PeerLimits.DEFAULTS.withConnectionsPerPeer(4), counted);
    }

    @AfterEach
    void stop() {
        client.close();
        peer.close();
        transport.loops().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (FullHttpRequest request : sent) {
            // The client retains the body only while sending: the caller's reference is the last.
            assertEquals(1, request.refCnt(), request.uri());
            request.release();
        }
        assertEquals(List.of(), leakLog.leaks());
    }

    @Test
    void shouldForwardMethodPathBodyAndTheHeadersThatMatterAndSayWhoForwarded() throws Exception {
        FullHttpRequest request = request(HttpMethod.POST, "/echo?campaign=c-7&limit=2", "{\"rating\":5}");
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer abc");
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        request.headers().set(HttpHeaderNames.ACCEPT, "text/csv");
        request.headers().set(HttpHeaderNames.COOKIE, "session=1");

        JsonNode echo = body(client.send(peer.uri(), request, TIMEOUT).get(10, TimeUnit.SECONDS));

        assertEquals("POST", echo.get("method").asText());
        assertEquals("/echo?campaign=c-7&limit=2", echo.get("uri").asText());
        assertEquals("{'rating':5}", echo.get("body").asText());
        assertEquals("node-a", echo.get("forwardedBy").asText());
        assertEquals("Bearer abc", echo.get("authorization").asText());
        assertEquals("application/json", echo.get("contentType").asText());
        assertEquals("text/csv", echo.get("accept").asText());
        assertEquals("null", echo.get("cookie").asText());
        assertEquals(peer.uri().getAuthority(), echo.get("host").asText());
    }

    @Test
    void shouldForwardOnceMoreNamingBothNodes() throws Exception {
        FullHttpRequest request = request(HttpMethod.GET, "/echo", "");
        request.headers().set(PeerClient.FORWARDED_BY, "node-b");

        JsonNode echo = body(client.send(peer.uri(), request, TIMEOUT).get(10, TimeUnit.SECONDS));

        assertEquals("node-b,node-a", echo.get("forwardedBy").asText());
        assertEquals(2, PeerClient.hops(echo.get("forwardedBy").asText()));
    }

    @Test
    void shouldRefuseToForwardARequestAThirdTime() {
        FullHttpRequest request = request(HttpMethod.GET, "/echo", "");
        request.headers().set(PeerClient.FORWARDED_BY, "node-b,node-c");

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.send(peer.uri(), request, TIMEOUT).get(10, TimeUnit.SECONDS));

        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertEquals(0, peer.accepted.get());
    }

    @Test
    void shouldSendSequentialRequestsOverOneKeptAliveConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            JsonNode echo = body(client.send(peer.uri(), request(HttpMethod.GET, "/echo?n=" + i, ""), TIMEOUT)
                    .get(10, TimeUnit.SECONDS));
            assertEquals("/echo?n=" + i, echo.get("uri").asText());
        }

        assertEquals(1, peer.accepted.get());
    }

    @Test
    void shouldCarryTwoHundredConcurrentRequestsOverAPoolOfFour() throws Exception {
        List<CompletableFuture<FullHttpResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(client.send(peer.uri(), request(HttpMethod.POST, "/delay?n=" + i, "body " + i), TIMEOUT));
        }

        for (int i = 0; i < 200; i++) {
            JsonNode echo = body(answers.get(i).get(20, TimeUnit.SECONDS));
            assertEquals("/delay?n=" + i, echo.get("uri").asText()); // each answer went to its own request
            assertEquals("body " + i, echo.get("body").asText());
        }
        assertEquals(4, peer.accepted.get());
        assertTrue(peer.maxInFlight.get() <= 4, "at most one request per connection: " + peer.maxInFlight.get());
        assertTrue(peer.maxInFlight.get() > 1, "the pool's connections were used side by side");
        assertEquals(4, counted.connected.get());
        assertEquals(200, counted.answered.get());
    }

    @Test
    void shouldFailAtOnceWhenTooManyRequestsWaitForABusyPeer() throws Exception {
        client.close();
        client = new PeerClient("node-a", transport.loops(), transport.clientChannelType(),
                PeerLimits.DEFAULTS.withConnectionsPerPeer(1).withPendingPerPeer(2), PeerEvents.NONE);
        Duration wait = Duration.ofMillis(700);
        List<CompletableFuture<FullHttpResponse>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // one on the connection, two waiting for it
            held.add(client.send(peer.uri(), request(HttpMethod.GET, "/silent", ""), wait));
        }

        long started = System.nanoTime();
        PeerUnavailable busy = failure(client.send(peer.uri(), request(HttpMethod.GET, "/echo", ""), TIMEOUT));

        assertEquals(Reason.BUSY, busy.reason(), busy.getMessage());
        assertTrue(elapsedMillis(started) < 500, "failed at once, not after waiting: " + elapsedMillis(started));
        for (CompletableFuture<FullHttpResponse> request : held) {
            assertEquals(Reason.TIMEOUT, failure(request).reason());
        }
    }

    @Test
    void shouldFailFastWhenThePeerIsDown() throws Exception {
        URI down = URI.create("http://127.0.0.1:" + freePort());

        long started = System.nanoTime();
        PeerUnavailable failed = failure(client.send(down, request(HttpMethod.GET, "/api/campaigns", ""), TIMEOUT));

        assertEquals(Reason.CONNECT_FAILED, failed.reason());
        assertEquals(1, counted.failed.get());
        assertTrue(failed.getMessage().contains("http://127.0.0.1:" + down.getPort()), failed.getMessage());
        assertTrue(elapsedMillis(started) < TIMEOUT.toMillis() / 2, "not at the timeout: " + elapsedMillis(started));
    }

    @Test
    void shouldFailAtTheTimeoutWhenThePeerDoesNotAnswerAndNotReuseThatConnection() throws Exception {
        Duration timeout = Duration.ofMillis(300);

        long started = System.nanoTime();
        PeerUnavailable failed = failure(client.send(peer.uri(), request(HttpMethod.GET, "/silent", ""), timeout));

        long took = elapsedMillis(started);
        assertEquals(Reason.TIMEOUT, failed.reason());
        assertTrue(failed.getMessage().contains(peer.uri().toString()), failed.getMessage());
        assertTrue(took >= 300 && took < 3_000, "failed at the timeout: " + took);
        // The answer may still come on that connection: it is closed, and the next request gets a new one.
        awaitTrue(() -> peer.open.get() == 0, "the timed-out connection is closed");
        body(client.send(peer.uri(), request(HttpMethod.GET, "/echo", ""), TIMEOUT).get(10, TimeUnit.SECONDS));
        assertEquals(2, peer.accepted.get());
    }

    @Test
    void shouldFailWhenThePeerClosesMidAnswer() throws Exception {
        PeerUnavailable failed = failure(client.send(peer.uri(), request(HttpMethod.GET, "/cut", ""), TIMEOUT));

        assertEquals(Reason.CLOSED, failed.reason(), failed.getMessage());
    }

    @Test
    void shouldFailWhenThePeerClosesWithoutAnswering() throws Exception {
        long started = System.nanoTime();
        PeerUnavailable failed = failure(client.send(peer.uri(), request(HttpMethod.POST, "/drop", "x"), TIMEOUT));

        assertEquals(Reason.CLOSED, failed.reason(), failed.getMessage());
        assertTrue(elapsedMillis(started) < TIMEOUT.toMillis() / 2, "not at the timeout: " + elapsedMillis(started));
    }

    @Test
    void shouldNotReuseAConnectionThePeerAnsweredWithConnectionClose() throws Exception {
        for (int i = 0; i < 3; i++) {
            body(client.send(peer.uri(), request(HttpMethod.GET, "/close", ""), TIMEOUT).get(10, TimeUnit.SECONDS));
        }

        assertEquals(3, peer.accepted.get());
    }

    @Test
    void shouldRelayStatusBodyAndAnswerHeadersButNotTheConnectionHeaders() throws Exception {
        FullHttpResponse fromPeer = client.send(peer.uri(), request(HttpMethod.POST, "/created", ""), TIMEOUT)
                .get(10, TimeUnit.SECONDS);

        FullHttpResponse relayed = Relay.toClient(fromPeer);
        try {
            assertEquals(201, relayed.status().code());
            assertEquals("{\"id\":\"cl-1025\"}", relayed.content().toString(CharsetUtil.UTF_8));
            assertEquals("application/json", relayed.headers().get(HttpHeaderNames.CONTENT_TYPE));
            assertEquals("/api/claims/cl-1025", relayed.headers().get(HttpHeaderNames.LOCATION));
            assertEquals("1", relayed.headers().get(HttpHeaderNames.RETRY_AFTER));
            assertEquals(String.valueOf(relayed.content().readableBytes()),
                    relayed.headers().get(HttpHeaderNames.CONTENT_LENGTH));
            assertNull(relayed.headers().get(HttpHeaderNames.CONNECTION));
            assertNull(relayed.headers().get("Keep-Alive"));
            assertNull(relayed.headers().get("X-Internal"));
        } finally {
            relayed.release();
        }
        assertEquals(0, fromPeer.refCnt()); // the body moved: one release frees it
    }

    @Test
    void shouldNoticeALeakedBuffer() {
        // Without this, the no-leak checks after each test could pass because nothing is tracked.
        PooledByteBufAllocator.DEFAULT.buffer(16).writeInt(7); // leaked on purpose
        try {
            awaitTrue(() -> !leakLog.leaks().isEmpty(), "the detector reports the leaked buffer");
        } finally {
            leakLog.forget();
        }
    }

    // --- helpers

    private static final class CountedEvents implements PeerEvents {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();

        @Override
        public void connected(String peer) {
            connected.incrementAndGet();
        }

        @Override
        public void answered(String peer, int status, long nanos) {
            answered.incrementAndGet();
        }

        @Override
        public void failed(String peer, Reason reason) {
            failed.incrementAndGet();
        }
    }

    private FullHttpRequest request(HttpMethod method, String uri, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, body));
        sent.add(request);
        return request;
    }

    /** The answer's JSON body, releasing the answer. */
    private static JsonNode body(FullHttpResponse response) throws IOException {
        try {
            assertEquals(200, response.status().code());
            return JSON.readTree(ByteBufUtil.getBytes(response.content()));
        } finally {
            response.release();
        }
    }

    private static PeerUnavailable failure(CompletableFuture<FullHttpResponse> answer)
            throws InterruptedException, TimeoutException {
        try {
            FullHttpResponse unexpected = answer.get(10, TimeUnit.SECONDS);
            unexpected.release();
            throw new AssertionError("expected a failure, got " + unexpected.status());
        } catch (ExecutionException e) {
            return assertInstanceOf(PeerUnavailable.class, e.getCause());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(5); // a poll interval; the deadline bounds the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
