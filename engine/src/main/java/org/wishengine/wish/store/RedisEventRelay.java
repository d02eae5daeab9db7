package org.wishengine.wish.store;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.cluster.EventCodec;
import org.wishengine.wish.core.WishEvent;

/**
 * Carries each node's committed events to every other node of a cluster over Redis pub/sub
 * ({@value #CHANNEL}; a Redis Cluster passes a published message to the subscribers on every
 * node), so that an event stream opened on any node shows changes settled on all of them.
 *
 * <p>Best effort, like the stream itself: a message lost while a Redis node fails over is not
 * re-sent (a wall reloads its listing on reconnect), and nothing in the book depends on it.
 */
public final class RedisEventRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisEventRelay.class);
    static final String CHANNEL = "wish:events";

    private final RedisLink link;
    private final String node;
    private StatefulRedisClusterPubSubConnection<String, String> subscription;

    RedisEventRelay(RedisLink link, String node) {
        this.link = link;
        this.node = node;
    }

    /** Publishes the events of one committed batch of this node; never blocks. */
    public void publish(List<WishEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        link.async.publish(CHANNEL, EventCodec.encode(node, events)).exceptionally(failure -> {
            LOG.debug("Events of a batch were not passed to the other nodes: {}", failure.toString());
            return 0L;
        });
    }

    /** Hands every other node's events to {@code sink} from now on. */
    public synchronized void subscribe(Consumer<List<WishEvent>> sink) {
        subscription = ((RedisClusterClient) link.client).connectPubSub();
        subscription.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (node.equals(EventCodec.sender(message))) {
                    return; // this node's own events reached its streams when they were committed
                }
                try {
                    sink.accept(EventCodec.decode(message));
                } catch (RuntimeException e) {
                    LOG.warn("Ignoring an event message this node cannot read: {}", e.toString());
                }
            }
        });
        subscription.sync().subscribe(CHANNEL);
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.closeAsync();
            subscription = null;
        }
    }
}
