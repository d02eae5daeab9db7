package org.wishengine.wish.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The idle event comes one idle period after the last read or write, again every period while
 * nothing happens, never while traffic flows, and never after the connection closed. Time is the
 * embedded loop's frozen clock, moved by hand.
 */
class IdleWatchTest {

    private final List<IdleStateEvent> events = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private EmbeddedChannel connection(long idleSeconds) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new IdleWatch(idleSeconds, TimeUnit.SECONDS), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof IdleStateEvent idle) {
                    events.add(idle);
                }
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        });
        return channel;
    }

    private void after(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void shouldReportAQuietConnectionOnceEachIdlePeriod() {
        connection(10);
        after(9);
        assertTrue(events.isEmpty());
        after(1);
        assertEquals(1, events.size());
        assertEquals(io.netty.handler.timeout.IdleState.ALL_IDLE, events.get(0).state());
        after(10);
        assertEquals(2, events.size());
    }

    @Test
    void shouldCountReadsAndWritesAsTraffic() {
        connection(10);
        after(6);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1}));
        after(6);
        assertTrue(events.isEmpty(), "a read 6 s ago");
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {2}));
        after(9);
        assertTrue(events.isEmpty(), "a write 9 s ago");
        after(1);
        assertEquals(1, events.size(), "10 s after the write");
    }

    @Test
    void shouldCountAWriteWithAVoidPromiseWhenItIsHandedOver() {
        connection(10);
        after(8);
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {3}), channel.voidPromise());
        after(8);
        assertTrue(events.isEmpty());
        after(2);
        assertEquals(1, events.size());
    }

    @Test
    void shouldStopOnceTheConnectionCloses() {
        connection(10);
        channel.close();
        after(30);
        assertTrue(events.isEmpty());
        assertFalse(channel.isOpen());
    }
}
