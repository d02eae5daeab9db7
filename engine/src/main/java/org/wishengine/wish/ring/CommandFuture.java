package org.wishengine.wish.ring;

import java.util.concurrent.CompletableFuture;
import org.wishengine.wish.core.Reply;

/**
 * The origin of a command the engine publishes for itself (a cluster node's adopt, drop or block
 * grant, see {@link CommandGateway#publish}), which completes once the command is settled
 * <em>and</em> its batch, and so every batch before it, is durable: the point after which a node
 * handing a campaign on may release its lease, since nothing the book decided for that campaign is
 * still on its way to the store.
 *
 * <p>{@link #settled()} completes with the book's reply, or exceptionally with a {@link Faulted}
 * naming the {@link Fault} that kept the command from one (the writer stopped or was fenced, or
 * the engine shut down before the store confirmed the batch: {@link Fault#SHUT_DOWN}, when it may
 * or may not be durable). It completes on whichever thread learns of the commit, in batch order
 * with the HTTP answers, so what depends on it must not block there: continue with an
 * {@code ...Async} stage or wait on it from another thread. Should the writer be halted outright
 * (its thread stuck past the drain) it may never complete; wait with a timeout.
 */
public final class CommandFuture extends PendingReply {

    private final CompletableFuture<Reply> settled = new CompletableFuture<>();

    /** Completes as the class says; a copy, so that completing it changes nothing here. */
    public CompletableFuture<Reply> settled() {
        return settled.copy();
    }

    /** Runs in the batch's delivery, once the batch is durable (or refused for good). */
    void complete() {
        Fault fault = fault();
        if (fault == null) {
            settled.complete(reply());
        } else {
            settled.completeExceptionally(new Faulted(fault));
        }
    }

    /** Why an engine's own command got no reply. */
    public static final class Faulted extends RuntimeException {

        private final Fault fault;

        Faulted(Fault fault) {
            super("the command was not settled normally: " + fault);
            this.fault = fault;
        }

        public Fault fault() {
            return fault;
        }
    }
}
