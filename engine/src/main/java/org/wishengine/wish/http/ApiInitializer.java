package org.wishengine.wish.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.util.concurrent.TimeUnit;
import org.wishengine.wish.config.HttpLimits;

/** Builds each connection's pipeline; nothing else. */
final class ApiInitializer extends ChannelInitializer<SocketChannel> {

    private final ApiContext api;
    private final HttpLimits limits;
    private final ConnectionLimit connections;
    private final ChannelGroup open;

    /** @param open where each connection is registered, so that an orderly stop can reach it */
    ApiInitializer(ApiContext api, HttpLimits limits, ConnectionLimit connections, ChannelGroup open) {
        this.api = api;
        this.limits = limits;
        this.connections = connections;
        this.open = open;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        open.add(channel); // leaves the group by itself when it closes
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(connections);
        pipeline.addLast(new RequestDeadline(limits.requestTimeoutMillis()));
        // No FlushConsolidationHandler: ApiHandler already flushes each connection once per read
        // batch and once per ring batch, and outside a read the handler would defer every one of
        // those flushes to an extra event-loop task.
        pipeline.addLast(new IdleWatch(limits.idleSeconds(), TimeUnit.SECONDS));
        pipeline.addLast(new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLine())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(16 * 1024)));
        pipeline.addLast(new HttpServerKeepAliveHandler());
        pipeline.addLast(new BodilessRequests());
        pipeline.addLast(new BodyLimit(limits.maxBodyBytes()));
        pipeline.addLast(new ApiHandler(api));
    }
}
