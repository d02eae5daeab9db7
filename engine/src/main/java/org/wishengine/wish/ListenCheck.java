package org.wishengine.wish;

import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Whether the engine can listen on its HTTP address. Probed before the engine writes anything to
 * its data directory (generated secrets, its own Redis), and recognised again when the engine
 * itself fails to bind (another process may take the port in between): either way the operator
 * reads one line naming the address, not a stack trace.
 */
final class ListenCheck {

    /** How deep to look into causes; Netty wraps a bind failure at most a few times. */
    private static final int MAX_CAUSES = 16;

    private ListenCheck() {
    }

    /** Binds {@code host:port} and lets go at once; port 0 (any free port) always passes. */
    static void probe(String host, int port) throws StartupFailure {
        if (port == 0) {
            return;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new StartupFailure("--host \"" + host + "\" is not a known address", StartupFailure.USAGE);
        }
        try (ServerSocket socket = new ServerSocket()) {
            // As the engine binds (SO_REUSEADDR): a port held only by closing connections is free.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw cannotListen(host, port, e.getMessage());
        }
    }

    /** The one-line failure when {@code thrown} or one of its causes is a failed bind; else empty. */
    static Optional<StartupFailure> bindFailure(Throwable thrown, String host, int port) {
        Throwable cause = thrown;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            // The NIO transport throws BindException; the epoll one its own NativeIoException.
            boolean nativeBind = cause instanceof Errors.NativeIoException && cause.getMessage() != null
                    && cause.getMessage().startsWith("bind(");
            if (cause instanceof BindException || nativeBind) {
                return Optional.of(cannotListen(host, port, cause.getMessage()));
            }
        }
        return Optional.empty();
    }

    private static StartupFailure cannotListen(String host, int port, String reason) {
        if (reason != null && reason.contains("already in use")) {
            return new StartupFailure("port " + port + " on " + host
                    + " is already in use; stop the other process or pass --port", StartupFailure.ENVIRONMENT);
        }
        return new StartupFailure("cannot listen on " + host + ":" + port + " (" + reason
                + "); pass another --host or --port", StartupFailure.ENVIRONMENT);
    }
}
