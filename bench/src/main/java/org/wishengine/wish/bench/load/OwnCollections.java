package org.wishengine.wish.bench.load;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The load generator's own garbage collections during the measured window. The load generator is
 * a JVM on the same cores as the server it drives, and while it stops for a collection the
 * requests it was due to send wait, and count, from their intended send time, against the server:
 * a report that says how long the load generator itself stopped tells a server's tail from the
 * client's. With a stop-the-world collector (the JVM's default here) each collection's duration
 * is its pause; with a concurrent one it is the cycle's length, not a pause.
 */
final class OwnCollections implements AutoCloseable {

    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            collected(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
        }
    };
    private final Object lock = new Object();
    private boolean counting;
    private int collections;
    private long totalMillis;
    private long longestMillis;
    private String collector = "";

    /** Starts listening to this JVM's collectors (nothing is counted before {@link #windowOpened()}). */
    OwnCollections() {
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (bean instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** Counts from now on. */
    void windowOpened() {
        synchronized (lock) {
            counting = true;
        }
    }

    /** Stops counting. */
    void windowClosed() {
        synchronized (lock) {
            counting = false;
        }
    }

    private void collected(GarbageCollectionNotificationInfo info) {
        synchronized (lock) {
            if (!counting) {
                return;
            }
            collections++;
            long millis = info.getGcInfo().getDuration();
            totalMillis += millis;
            longestMillis = Math.max(longestMillis, millis);
            if (!collector.contains(info.getGcName())) {
                collector = collector.isEmpty() ? info.getGcName() : collector + ", " + info.getGcName();
            }
        }
    }

    /** One line for the report. */
    String summary() {
        synchronized (lock) {
            if (collections == 0) {
                return "load generator's own collections in the window: none";
            }
            return String.format(Locale.ROOT, "load generator's own collections in the window: %d, %d ms in all, "
                    + "longest %d ms (%s)", collections, totalMillis, longestMillis, collector);
        }
    }

    /** Stops listening. */
    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // never added to this one: nothing to remove
            }
        }
    }
}
