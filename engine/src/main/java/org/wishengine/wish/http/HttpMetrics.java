package org.wishengine.wish.http;

import org.wishengine.wish.core.Result;

/** What the HTTP edge reports about the requests it answers. Called on event loops; must not block. */
public interface HttpMetrics {

    /** One response, by route template ("unmatched" for unknown routes), method tag and status. */
    void responded(String route, String method, int status, long nanos);

    /** The decision on one claim attempt, including refusals at the door ({@code overloaded}). */
    void claimDecided(String outcome, long nanos);

    /**
     * A claim's clock readings ({@link System#nanoTime()}) on its way through the engine: arrival,
     * when the writer began settling its batch, when the batch was sent to the store, when it was
     * durable (0 and 0 for a batch with nothing to write), and when the answer was written. Meters
     * that do not split the latency ignore them.
     */
    default void claimStages(long arrived, long settling, long sent, long durable, long answered) {
    }

    /** The method as a metrics tag: the standard ones by name, anything a client invents as "other". */
    static String methodTag(io.netty.handler.codec.http.HttpMethod method) {
        return switch (method.name()) {
            case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" -> method.name();
            default -> "other";
        };
    }

    static String outcomeName(Result result) {
        return switch (result) {
            case CREATED -> "claimed";
            case REPEAT -> "repeat";
            // Answered 503 overloaded, so counted as one (the label values stay the documented ones).
            case NO_NUMBERS -> "overloaded";
            default -> result.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
