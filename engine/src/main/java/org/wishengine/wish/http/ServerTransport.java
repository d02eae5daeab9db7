package org.wishengine.wish.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Event loops and server channel type for this platform: epoll where Netty's native transport
 * loads, NIO otherwise. Shared by the engine and the benchmark's ceiling server so that both run
 * on the same transport.
 *
 * @param loops       the event loops (daemon threads named {@code <name>-N-M})
 * @param channelType the matching server channel class
 */
public record ServerTransport(EventLoopGroup loops, Class<? extends ServerChannel> channelType) {

    /** @param threads event loops, 0 for Netty's default (twice the cores) */
    public static ServerTransport create(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        if (Epoll.isAvailable()) {
            return new ServerTransport(new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory()),
                    EpollServerSocketChannel.class);
        }
        return new ServerTransport(new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory()),
                NioServerSocketChannel.class);
    }
}
