package org.wishengine.wish.http;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import org.wishengine.wish.ring.Replier;
import org.wishengine.wish.ring.RingEntry;

/**
 * Gathers a ring batch's answers per event loop (on the ring thread) and, once the batch is
 * durable, hands each loop its share in one task, so that a batch of hundreds of claims costs a
 * few task submissions instead of one per reply, and each connection is flushed once.
 */
final class ReplyDispatcher implements Replier {

    private final List<EventExecutor> loops = new ArrayList<>();
    private final List<List<PendingRequest>> batches = new ArrayList<>();

    @Override
    public void reply(RingEntry entry) {
        if (!(entry.origin instanceof PendingRequest pending)) {
            return;
        }
        EventExecutor loop = pending.handler.executor();
        int index = loops.indexOf(loop);
        if (index < 0) {
            loops.add(loop);
            batches.add(new ArrayList<>());
            index = loops.size() - 1;
        }
        batches.get(index).add(pending);
    }

    @Override
    public Runnable endOfBatch() {
        int count = 0;
        EventExecutor[] targets = new EventExecutor[loops.size()];
        List<?>[] shares = new List<?>[loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            List<PendingRequest> batch = batches.get(i);
            if (!batch.isEmpty()) {
                targets[count] = loops.get(i);
                shares[count++] = batch;
                batches.set(i, new ArrayList<>());
            }
        }
        if (count == 0) {
            return null;
        }
        int loopsWithReplies = count;
        return () -> {
            for (int i = 0; i < loopsWithReplies; i++) {
                @SuppressWarnings("unchecked")
                List<PendingRequest> share = (List<PendingRequest>) shares[i];
                targets[i].execute(() -> ApiHandler.deliver(share));
            }
        };
    }
}
