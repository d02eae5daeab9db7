package org.wishengine.wish.cluster;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Netty's leak detector at PARANOID (every buffer tracked), with what it reports collected: a
 * buffer that is garbage collected without having been released is reported once the detector
 * next looks, which {@link #leaks()} provokes (collect garbage, then allocate).
 */
final class LeakLog implements AutoCloseable {

    private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private final ListAppender<ILoggingEvent> reports = new ListAppender<>();

    LeakLog() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        reports.start();
        logger.addAppender(reports);
    }

    /** The leak reports so far, after giving the detector a few chances to find leaked buffers. */
    List<String> leaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 100; i++) {
                // Each tracked allocation polls the queue of collected, unreleased buffers.
                ByteBuf probe = i % 2 == 0 ? PooledByteBufAllocator.DEFAULT.buffer(8) : Unpooled.buffer(8);
                probe.release();
            }
        }
        List<String> found = new ArrayList<>();
        synchronized (reports) {
            for (ILoggingEvent event : reports.list) {
                if (event.getFormattedMessage().contains("LEAK")) {
                    found.add(event.getFormattedMessage());
                }
            }
        }
        return found;
    }

    void forget() {
        synchronized (reports) {
            reports.list.clear();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(reports);
        reports.stop();
        ResourceLeakDetector.setLevel(before);
    }
}
