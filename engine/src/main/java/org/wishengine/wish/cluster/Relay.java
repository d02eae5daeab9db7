package org.wishengine.wish.cluster;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Turns a peer's answer to a forwarded request into the answer our client gets: the peer's
 * status, body and the headers that belong to the answer itself. Headers about the connection
 * between the two nodes ({@code Connection}, {@code Keep-Alive}, transfer encoding) are not
 * relayed: our server handler decides those for its own connection, as for any answer.
 */
public final class Relay {

    /** The headers an engine puts on an API answer that say something about the answer. */
    private static final List<AsciiString> RELAYED = List.of(
            HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.LOCATION, HttpHeaderNames.RETRY_AFTER,
            HttpHeaderNames.ALLOW, HttpHeaderNames.WWW_AUTHENTICATE);

    private Relay() {
    }

    /**
     * Takes over {@code fromPeer} (whose body moves into the result, without a copy): the caller
     * releases the result, or writes it, and no longer touches {@code fromPeer}.
     */
    public static FullHttpResponse toClient(FullHttpResponse fromPeer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, fromPeer.status(),
                fromPeer.content());
        HttpHeaders from = fromPeer.headers();
        HttpHeaders to = response.headers();
        for (AsciiString name : RELAYED) {
            List<String> values = from.getAll(name);
            if (!values.isEmpty()) {
                to.set(name, values);
            }
        }
        to.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }
}
