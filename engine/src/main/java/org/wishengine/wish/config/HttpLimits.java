package org.wishengine.wish.config;

/**
 * Size, time and connection limits of the HTTP edge.
 *
 * @param maxBodyBytes          larger bodies get 413 before they are read
 * @param maxInitialLine        longer request lines get 414
 * @param maxHeaderBytes        larger header blocks get 431
 * @param idleSeconds           a connection with no traffic for this long is closed
 * @param requestTimeoutMillis  a request must arrive in full this soon after its first byte
 * @param maxConnections        connections past this many are closed at once (see {@link MaxConnections})
 */
public record HttpLimits(int maxBodyBytes, int maxInitialLine, int maxHeaderBytes, int idleSeconds,
                         long requestTimeoutMillis, int maxConnections) {

    /** The defaults; the connection cap is derived from this process's open-file limit. */
    public static final HttpLimits DEFAULTS = new HttpLimits(1024 * 1024, 4096, 8192, 60, 10_000,
            MaxConnections.forThisProcess().value());

    public HttpLimits withRequestTimeoutMillis(long millis) {
        return new HttpLimits(maxBodyBytes, maxInitialLine, maxHeaderBytes, idleSeconds, millis, maxConnections);
    }

    public HttpLimits withMaxConnections(int max) {
        return new HttpLimits(maxBodyBytes, maxInitialLine, maxHeaderBytes, idleSeconds, requestTimeoutMillis, max);
    }

    public HttpLimits withMaxBodyBytes(int max) {
        return new HttpLimits(max, maxInitialLine, maxHeaderBytes, idleSeconds, requestTimeoutMillis, maxConnections);
    }
}
