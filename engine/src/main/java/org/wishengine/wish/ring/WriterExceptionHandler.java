package org.wishengine.wish.ring;

import com.lmax.disruptor.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's last line of defence: whatever escapes the {@link StagePipeline} (which contains
 * the faults it knows) stops the writer rather than its thread. The Disruptor's default handler
 * rethrows, which would end the only writer thread while the edge kept accepting commands.
 */
final class WriterExceptionHandler implements ExceptionHandler<RingEntry> {

    private static final Logger LOG = LoggerFactory.getLogger(WriterExceptionHandler.class);

    private final WriterHealth health;
    private final RingObserver observer;

    WriterExceptionHandler(WriterHealth health, RingObserver observer) {
        this.health = health;
        this.observer = observer;
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, RingEntry entry) {
        health.stop("the writer failed unexpectedly (" + ex + "); restart the engine");
        observer.writerError("settle", entry == null ? null : entry.command, ex);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
        LOG.error("The ring's writer failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
        LOG.warn("The ring's writer failed while shutting down", ex);
    }
}
