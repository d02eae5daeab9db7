package org.wishengine.wish.http;

/**
 * Size and time limits of the HTTP edge.
 *
 * @param maxBodyBytes   larger bodies get 413 before they are read
 * @param maxInitialLine longer request lines get 414
 * @param maxHeaderBytes larger header blocks get 431
 * @param idleSeconds    a connection with no traffic for this long is closed
 */
public record HttpLimits(int maxBodyBytes, int maxInitialLine, int maxHeaderBytes, int idleSeconds) {

    public static final HttpLimits DEFAULTS = new HttpLimits(1024 * 1024, 4096, 8192, 60);
}
