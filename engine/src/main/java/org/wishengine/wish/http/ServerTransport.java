package org.wishengine.wish.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.TimeUnit;

/**
 * Event loops and channel types for this platform: epoll where Netty's native transport loads,
 * NIO otherwise, each loop polling briefly before it sleeps ({@link YieldingSelectStrategy}).
 * Shared by the engine and the benchmark's ceiling server so that both run on the same transport;
 * the engine also lends these loops to its Redis client, which is why the client channel type
 * travels with them.
 *
 * @param loops             the event loops (daemon threads named {@code <name>-N-M})
 * @param channelType       the matching server channel class
 * @param clientChannelType the matching client (outgoing connection) channel class
 */
public record ServerTransport(EventLoopGroup loops, Class<? extends ServerChannel> channelType,
                              Class<? extends Channel> clientChannelType) {

    /**
     * How long a loop polls, yielding its core, before it sleeps (see {@link YieldingSelectStrategy});
     * the system property {@code wish.io.pollMicros} sets it for experiments (0: sleep at once).
     */
    private static final long POLL_BUDGET_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("wish.io.pollMicros", 50));

    /**
     * @param threads event loops, 0 for one per core. Not Netty's default of two per core: on a
     *                small machine the loops share the cores with the ring thread and Redis, and
     *                fewer loops wake up less often (measured on 2 cores: the ceiling answers
     *                ~5% more requests with 2 loops than with 4, the engine spends ~10% less CPU
     *                per claim)
     */
    public static ServerTransport create(int threads, String name) {
        int loops = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        if (Epoll.isAvailable()) {
            IoHandlerFactory epoll = YieldingSelectStrategy.around(s -> EpollIoHandler.newFactory(0, s), POLL_BUDGET_NANOS);
            return new ServerTransport(new MultiThreadIoEventLoopGroup(loops, factory, epoll),
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        IoHandlerFactory nio = YieldingSelectStrategy.around(
                s -> NioIoHandler.newFactory(SelectorProvider.provider(), s), POLL_BUDGET_NANOS);
        return new ServerTransport(new MultiThreadIoEventLoopGroup(loops, factory, nio),
                NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
