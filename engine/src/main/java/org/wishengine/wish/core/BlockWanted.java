package org.wishengine.wish.core;

/**
 * Told by a book that numbers claims in blocks ({@link Book#numberedInBlocks}) that a campaign
 * needs another block of claim numbers: fewer than half a block is left, or it has none yet. The
 * book asks once per need and again only after {@link Book#grantBlock} delivered one, so the
 * implementation must see each request through (retrying a failed grant) or the campaign runs out.
 *
 * <p>Called on the book's (the writer's) thread, inside a decision: it must not block; it only
 * queues the grant, whose answer comes back to the book as a command.
 */
@FunctionalInterface
public interface BlockWanted {

    void want(String campaignId);
}
