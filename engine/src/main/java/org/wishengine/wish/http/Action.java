package org.wishengine.wish.http;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletionStage;
import org.wishengine.wish.core.Command;

/** What an endpoint asks its connection to do with a request. */
sealed interface Action {

    /** Send a command to the ring and answer with its reply ({@code csv}: render a ledger as CSV). */
    record Publish(Command command, boolean csv) implements Action {
        Publish(Command command) {
            this(command, false);
        }
    }

    /** Answer now. */
    record Respond(FullHttpResponse response) implements Action {
    }

    /** Answer when the stage completes (a health check that asks the store). */
    record Await(CompletionStage<FullHttpResponse> response) implements Action {
    }

    /** Turn the connection into an event stream, resuming after {@code lastEventId} (-1: from now). */
    record Stream(long lastEventId) implements Action {
    }
}
