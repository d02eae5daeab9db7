package org.wishengine.wish.http;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletionStage;
import org.wishengine.wish.core.Command;

/** What an endpoint asks its connection to do with a request. */
sealed interface Action {

    /**
     * Send a command to the ring and answer with its reply ({@code csv}: render a ledger as CSV;
     * {@code campaign}: on a cluster node, the campaign it is settled for, else null).
     */
    record Publish(Command command, boolean csv, String campaign) implements Action {
        Publish(Command command) {
            this(command, false, null);
        }

        Publish(Command command, boolean csv) {
            this(command, csv, null);
        }

        /** The same, settled here for {@code campaignId}. */
        Publish servedFor(String campaignId) {
            return new Publish(command, csv, campaignId);
        }
    }

    /** Answer now. */
    record Respond(FullHttpResponse response) implements Action {
    }

    /** Answer when the stage completes (a health check that asks the store). */
    record Await(CompletionStage<FullHttpResponse> response) implements Action {
    }

    /**
     * Decide later: a cluster node that must first look up where a request goes (or take its
     * campaign over) answers with the action it settles on.
     */
    record Defer(CompletionStage<Action> next) implements Action {
    }

    /** Turn the connection into an event stream, resuming after {@code lastEventId} (-1: from now). */
    record Stream(long lastEventId) implements Action {
    }
}
