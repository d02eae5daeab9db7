package org.wishengine.wish.http;

/**
 * Netty's buffer leak detector, by default, records a stack trace for about one buffer in 128,
 * on the event loops. Under a flash grab on 2 cores perf put ~0.7% of the machine in
 * {@code fillInStackTrace}, and the engine used ~4% less CPU per claim without it (two runs each,
 * within the noise of one run). The command-line programs switch
 * it off unless {@code -Dio.netty.leakDetection.level} asks for something else; the test suites
 * leave Netty's default on, which is where leaks are meant to be caught.
 */
public final class LeakSampling {

    static final String PROPERTY = "io.netty.leakDetection.level";

    private LeakSampling() {
    }

    /** Call first thing in {@code main}, before any Netty class is loaded. */
    public static void offUnlessConfigured() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "disabled");
        }
    }
}
