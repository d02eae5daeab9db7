package org.wishengine.wish.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.wishengine.wish.core.WishEvent;
import org.wishengine.wish.ring.Replier;
import org.wishengine.wish.ring.RingEntry;

/**
 * Server-Sent Events of wish changes and new campaigns. Each committed batch's events are encoded once and the same
 * bytes handed to every subscriber. A subscriber whose connection stops draining (its
 * outbound buffer passes the high-water mark) is dropped rather than buffered for, so a stalled
 * client can never hold memory or slow the ring. The last {@code window} events are kept so that
 * a client reconnecting with {@code Last-Event-ID} gets what it missed, if it is still there.
 */
public final class EventHub implements Replier {

    private static final Channel[] NO_SUBSCRIBERS = new Channel[0];

    private final CopyOnWriteArrayList<Channel> subscribers = new CopyOnWriteArrayList<>();
    private final EventJournal journal;
    private final Object lock = new Object();
    private final long firstId;
    /** Events of the batch the ring thread is gathering; only the ring thread touches it. */
    private List<WishEvent> gathering = new ArrayList<>();
    /** Where committed events go besides this node's subscribers (other cluster nodes), or null. */
    private volatile java.util.function.Consumer<List<WishEvent>> outbound;
    /** The id of the newest event sent; every journalled event is committed. Guarded by the lock. */
    private long lastId;

    public EventHub(int window) {
        this.journal = new EventJournal(window);
        // Ids start from the clock (in microseconds) so they keep growing across restarts and a
        // client's Last-Event-ID from an earlier run is recognised as too old, not as a future id.
        this.lastId = System.currentTimeMillis() * 1000;
        this.firstId = lastId + 1;
    }

    @Override
    public void reply(RingEntry entry) {
        // The ring thread only copies the events; numbering and rendering happen after the commit.
        if (entry.reply != null) {
            List<WishEvent> events = entry.reply.events();
            // One by one: addAll copies the list into a new array first, for every claim.
            for (int i = 0; i < events.size(); i++) {
                gathering.add(events.get(i));
            }
        }
    }

    @Override
    public Runnable endOfBatch() {
        if (gathering.isEmpty()) {
            return null;
        }
        List<WishEvent> committed = gathering;
        gathering = new ArrayList<>();
        return () -> {
            broadcast(committed);
            java.util.function.Consumer<List<WishEvent>> peers = outbound;
            if (peers != null) {
                peers.accept(committed);
            }
        };
    }

    /**
     * On a cluster node: hands each committed batch's events to {@code peers} too (which publishes
     * them for the other nodes' streams), after this node's own subscribers have them.
     */
    public void shareWith(java.util.function.Consumer<List<WishEvent>> peers) {
        this.outbound = peers;
    }

    /** Sends events another node committed to this node's subscribers, numbered in this node's sequence. */
    public void deliverFromPeer(List<WishEvent> events) {
        if (!events.isEmpty()) {
            broadcast(events);
        }
    }

    /**
     * Numbers, journals and sends the events of one committed batch. Batches arrive in order.
     * Frames are rendered only when someone listens: during a grab there are usually far more
     * claims than open walls, and the journal keeps the events' fields, not their text.
     */
    private void broadcast(List<WishEvent> events) {
        long firstOfBatch;
        Channel[] targets;
        synchronized (lock) {
            // Numbered and journalled together with taking the subscribers, so a subscriber that
            // joins now gets these events once: in its replay or here, never both.
            firstOfBatch = lastId + 1;
            for (WishEvent event : events) {
                ++lastId;
                journal.put(lastId, event);
            }
            targets = subscribers.isEmpty() ? NO_SUBSCRIBERS : subscribers.toArray(NO_SUBSCRIBERS);
        }
        if (targets.length == 0) {
            return;
        }
        StringBuilder frames = new StringBuilder(events.size() * 120);
        for (int i = 0; i < events.size(); i++) {
            appendFrame(frames, firstOfBatch + i, events.get(i));
        }
        ByteBuf batch = Unpooled.copiedBuffer(frames, StandardCharsets.UTF_8);
        try {
            for (Channel subscriber : targets) {
                send(subscriber, batch.retainedDuplicate());
            }
        } finally {
            batch.release();
        }
    }

    /**
     * Adds a subscriber (whose response headers are written), first replaying the events after
     * {@code lastEventId} when they are still in the window. Returns false when some of them are
     * gone, so the caller can tell the client to reload instead.
     */
    boolean subscribe(Channel channel, long lastEventId, ByteBufAllocator alloc) {
        synchronized (lock) {
            boolean complete = true;
            if (lastEventId >= 0 && lastEventId < lastId) {
                long oldest = Math.max(firstId, lastId - journal.capacity() + 1);
                complete = lastEventId + 1 >= oldest;
                StringBuilder replay = new StringBuilder();
                for (long id = Math.max(lastEventId + 1, oldest); id <= lastId; id++) {
                    appendFrame(replay, id, journal.get(id));
                }
                if (replay.length() > 0) {
                    channel.write(new DefaultHttpContent(Unpooled.copiedBuffer(replay, StandardCharsets.UTF_8)));
                }
            }
            subscribers.add(channel);
            channel.closeFuture().addListener(f -> subscribers.remove(channel));
            return complete;
        }
    }

    /** Open event streams, for the metrics. */
    public int subscribers() {
        return subscribers.size();
    }


    private static void send(Channel subscriber, ByteBuf frames) {
        if (!subscriber.isWritable()) {
            frames.release();
            subscriber.close();
            return;
        }
        subscriber.writeAndFlush(new DefaultHttpContent(frames), subscriber.voidPromise());
    }

    // Ids are validated to [A-Za-z0-9_-] on the way in, so they need no JSON escaping here;
    // a campaign's title is free text and is escaped.
    private static void appendFrame(StringBuilder out, long id, WishEvent event) {
        String type = event.type().wireName();
        out.append("id: ").append(id).append("\nevent: ").append(type);
        if (event.type() == WishEvent.Type.DRAW) {
            out.append("\ndata: {\"campaignId\":\"").append(event.campaignId())
                    .append("\",\"remaining\":").append(event.remaining());
        } else if (event.type() == WishEvent.Type.CAMPAIGN) {
            out.append("\ndata: {\"campaignId\":\"").append(event.campaignId()).append("\",\"title\":\"");
            JsonStringEncoder.getInstance().quoteAsString(event.title(), out);
            out.append("\",\"opensAt\":\"").append(IsoInstants.format(event.opensAt()))
                    .append("\",\"units\":").append(event.remaining());
        } else {
            out.append("\ndata: {\"wishId\":\"").append(event.wishId())
                    .append("\",\"campaignId\":\"").append(event.campaignId())
                    .append("\",\"remaining\":").append(event.remaining());
        }
        out.append(",\"type\":\"").append(type).append("\"}\n\n");
    }
}
