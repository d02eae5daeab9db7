package org.wishengine.wish;

/**
 * A reason the engine cannot start that the operator can fix, told in one line on stderr instead
 * of a stack trace, with the exit code: {@link #USAGE} for a malformed setting, {@link #ENVIRONMENT}
 * when the machine is in the way (the port is taken).
 */
final class StartupFailure extends Exception {

    static final int ENVIRONMENT = 1;
    static final int USAGE = 2;

    private final int exitCode;

    StartupFailure(String line, int exitCode) {
        super(line, null, false, false); // the line is the whole story; no stack trace to fill in
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
