package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests without a body are made whole before the aggregator, and everything the aggregator
 * must see (bodies, chunks, expectations, decoding errors) still reaches it, in order. Each case
 * is checked against the aggregator alone on the same bytes.
 */
class BodilessRequestsTest {

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void release() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private EmbeddedChannel withBodiless() {
        return track(new EmbeddedChannel(new HttpServerCodec(), new BodilessRequests(), new BodyLimit(64)));
    }

    private EmbeddedChannel aggregatorAlone() {
        return track(new EmbeddedChannel(new HttpServerCodec(), new BodyLimit(64)));
    }

    private EmbeddedChannel track(EmbeddedChannel channel) {
        channels.add(channel);
        return channel;
    }

    @Test
    void shouldHandOnARequestWithoutABodyWholeWithItsHeadersAndNoContent() {
        EmbeddedChannel channel = withBodiless();
        channel.writeInbound(bytes("POST /api/wishes/w-1/claims?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\n\r\n"));
        FullHttpRequest request = channel.readInbound();
        try {
            assertTrue(request.decoderResult().isSuccess());
            assertEquals(HttpMethod.POST, request.method());
            assertEquals("/api/wishes/w-1/claims?x=1", request.uri());
            assertEquals("Bearer t", request.headers().get(HttpHeaderNames.AUTHORIZATION));
            assertEquals("h", request.headers().get(HttpHeaderNames.HOST));
            assertEquals(0, request.content().readableBytes());
            assertTrue(request.trailingHeaders().isEmpty());
            // Made here, not by the aggregator, which would have added a Content-Length of 0.
            assertFalse(request.headers().contains(HttpHeaderNames.CONTENT_LENGTH));
        } finally {
            request.release();
        }
        assertNull(channel.readInbound());
    }

    @Test
    void shouldTakeAnExplicitZeroContentLengthAsNoBody() {
        EmbeddedChannel channel = withBodiless();
        channel.writeInbound(bytes("POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n"));
        FullHttpRequest request = channel.readInbound();
        assertEquals(0, request.content().readableBytes());
        assertEquals("0", request.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        request.release();
    }

    @Test
    void shouldLeaveBodiesChunksAndPipelinedRequestsToTheAggregatorInOrder() {
        String stream = "GET /first HTTP/1.1\r\n\r\n"
                + "POST /second HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
                + "POST /third HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "DELETE /fourth HTTP/1.1\r\n\r\n";
        List<String> with = describe(withBodiless(), stream);
        assertEquals(List.of("GET /first ''", "POST /second 'hello'", "POST /third 'abcde' trailer=t",
                "DELETE /fourth ''"), with);
        assertEquals(describe(aggregatorAlone(), stream), with);
    }

    @Test
    void shouldLeaveExpectationsToTheAggregator() {
        EmbeddedChannel channel = withBodiless();
        channel.writeInbound(bytes("POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
        FullHttpResponse carryOn = channel.readOutbound() instanceof ByteBuf raw ? decode(raw) : null;
        assertEquals(100, carryOn.status().code());
        carryOn.release();
        channel.writeInbound(bytes("ok"));
        FullHttpRequest request = channel.readInbound();
        assertEquals("ok", request.content().toString(StandardCharsets.US_ASCII));
        request.release();

        EmbeddedChannel refused = withBodiless();
        refused.writeInbound(bytes("GET /a HTTP/1.1\r\nExpect: something-else\r\n\r\n"));
        FullHttpResponse answer = decode(refused.readOutbound());
        assertEquals(417, answer.status().code());
        answer.release();
    }

    @Test
    void shouldHandOnARequestThatFailedToDecodeAsTheAggregatorDoes() {
        String broken = "GET /a HTTP/1.1\r\nBad Header Name: x\r\n\r\n";
        EmbeddedChannel with = withBodiless();
        with.writeInbound(bytes(broken));
        Object fromWith = with.readInbound();
        EmbeddedChannel alone = aggregatorAlone();
        alone.writeInbound(bytes(broken));
        Object fromAlone = alone.readInbound();
        try {
            assertTrue(fromWith instanceof FullHttpRequest);
            assertFalse(((FullHttpRequest) fromWith).decoderResult().isSuccess());
            assertEquals(((FullHttpRequest) fromAlone).decoderResult().isSuccess(),
                    ((FullHttpRequest) fromWith).decoderResult().isSuccess());
        } finally {
            ReferenceCountUtil.release(fromWith);
            ReferenceCountUtil.release(fromAlone);
        }
    }

    /** Every request the pipeline hands on: method, path, body and any trailer. */
    private static List<String> describe(EmbeddedChannel channel, String stream) {
        channel.writeInbound(bytes(stream));
        List<String> seen = new ArrayList<>();
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            FullHttpRequest request = (FullHttpRequest) msg;
            String trailer = request.trailingHeaders().get("X-Trailer");
            seen.add(request.method() + " " + request.uri() + " '" + request.content().toString(StandardCharsets.US_ASCII)
                    + "'" + (trailer == null ? "" : " trailer=" + trailer));
            request.release();
        }
        return seen;
    }

    private static FullHttpResponse decode(ByteBuf raw) {
        EmbeddedChannel client = new EmbeddedChannel(new io.netty.handler.codec.http.HttpResponseDecoder(),
                new HttpObjectAggregator(1024));
        client.writeInbound(raw);
        FullHttpResponse response = client.readInbound();
        client.finishAndReleaseAll();
        return response;
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
