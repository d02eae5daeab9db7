package org.wishengine.wish.http;

/**
 * Netty's buffer leak detector, by default, records a stack trace for about one buffer in a
 * hundred. Under a flash grab that is tens of thousands of stack walks a second on the event loops
 * (about 1.5 µs of CPU per claim measured with perf on 2 cores). The command-line programs switch
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
