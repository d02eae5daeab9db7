package org.wishengine.wish.ring;

import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Claim;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.WishEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage ①, the single writer: applies each command to the {@link Book} in ring order. It is the
 * only thread that ever touches the book after recovery, which is what makes double claims
 * impossible without locks. Reads are answered here too, as immutable snapshots, so that they
 * see every write published before them.
 */
public final class SettleStage {

    private final Book book;
    private final Settler settler;
    private final RingObserver observer;
    /** When the first entry of the current batch began; two clock reads per batch, not per entry. */
    private long batchStarted;
    private int batchSize;

    public SettleStage(Book book, Settler settler, RingObserver observer) {
        this.book = book;
        this.settler = settler;
        this.observer = observer;
    }

    /** Decides the entry's command; throws what the book throws (the pipeline treats it as fatal). */
    void process(RingEntry entry) {
        if (batchSize++ == 0) {
            batchStarted = System.nanoTime();
        }
        settler.settle(book, entry);
    }

    /**
     * Reports the time from the batch's first entry until it is ready to send: deciding it and
     * gathering its changes and replies (the store round trip is not included).
     */
    void endOfBatch() {
        int commands = batchSize;
        batchSize = 0;
        try {
            observer.settled(commands, System.nanoTime() - batchStarted);
        } catch (RuntimeException e) {
            observer.writerError("meter", null, e);
        }
    }

    /** The settle step as it ships: decide, then derive the events of the decision. */
    public static void settle(Book book, RingEntry entry) {
        decide(book, entry);
        describe(book, entry);
    }

    private static void decide(Book book, RingEntry entry) {
        Command command = entry.command;
        switch (command.kind()) {
            case CLAIM -> {
                Command.ClaimWish c = (Command.ClaimWish) command;
                entry.outcome = book.claim(c.wishId(), c.userId(), c.at());
            }
            case CREATE_CAMPAIGN -> {
                Command.CreateCampaign c = (Command.CreateCampaign) command;
                entry.outcome = book.createCampaign(c.draft(), c.at());
            }
            case CANCEL -> {
                Command.Cancel c = (Command.Cancel) command;
                entry.outcome = book.cancel(c.claimId(), c.actor(), c.at());
            }
            case FULFIL -> {
                Command.Fulfil c = (Command.Fulfil) command;
                entry.outcome = book.fulfil(c.claimId(), c.actor(), c.at());
            }
            case CONFIRM -> {
                Command.Confirm c = (Command.Confirm) command;
                entry.outcome = book.confirm(c.claimId(), c.rating(), c.comment(), c.at());
            }
            case EXPIRE -> book.expire(command.at(), entry.expired);
            case GET_CLAIM -> {
                Command.GetClaim c = (Command.GetClaim) command;
                Claim claim = book.claim(c.claimId());
                entry.outcome = claim == null ? Outcome.NOT_FOUND
                        : c.actor() != null && !c.actor().equals(claim.userId()) ? Outcome.FORBIDDEN
                        : Outcome.found(claim);
            }
            case GET_WISH -> entry.view = book.wish(((Command.GetWish) command).wishId());
            case LIST_WISHES -> {
                Command.ListWishes c = (Command.ListWishes) command;
                entry.view = book.wishes(c.filter(), c.cursor(), c.limit());
            }
            case GET_CAMPAIGN -> entry.view = book.campaign(((Command.GetCampaign) command).campaignId());
            case LIST_CAMPAIGNS -> entry.view = book.campaigns();
            case USER_CLAIMS -> entry.view = book.claimsOf(((Command.UserClaims) command).userId());
            case CAMPAIGN_CLAIMS -> entry.view = book.claimsOfCampaign(((Command.CampaignClaims) command).campaignId());
            case STATS -> {
                String campaignId = ((Command.GetStats) command).campaignId();
                entry.view = campaignId == null ? book.stats() : book.stats(campaignId);
            }
            default -> throw new IllegalStateException("unknown command " + command.kind());
        }
    }

    /** Derives the wish events of a decided command (state changes only). */
    private static void describe(Book book, RingEntry entry) {
        Outcome outcome = entry.outcome;
        if (outcome != null && outcome.result().changesState() && outcome.claim() != null) {
            event(entry.events, outcome.claim(), book.remaining(outcome.claim().wishId()));
        }
        List<Claim> expired = entry.expired;
        if (!expired.isEmpty()) {
            // The book has released them all; each event tells the units left right after its own unit came back.
            Map<String, Integer> laterOfWish = new HashMap<>();
            int[] remainingAfter = new int[expired.size()];
            for (int i = expired.size() - 1; i >= 0; i--) {
                String wishId = expired.get(i).wishId();
                int later = laterOfWish.getOrDefault(wishId, 0);
                remainingAfter[i] = book.remaining(wishId) - later;
                laterOfWish.put(wishId, later + 1);
            }
            for (int i = 0; i < expired.size(); i++) {
                event(entry.events, expired.get(i), remainingAfter[i]);
            }
        }
    }

    private static void event(List<WishEvent> events, Claim claim, int remaining) {
        WishEvent.Type type = switch (claim.status()) {
            case CLAIMED -> WishEvent.Type.CLAIMED;
            case FULFILLED -> WishEvent.Type.FULFILLED;
            case CONFIRMED -> WishEvent.Type.CONFIRMED;
            case CANCELLED, EXPIRED -> WishEvent.Type.RELEASED;
        };
        events.add(new WishEvent(type, claim.wishId(), claim.campaignId(), claim.id(), remaining));
        if (type == WishEvent.Type.CLAIMED && remaining == 0) {
            events.add(new WishEvent(WishEvent.Type.SOLD_OUT, claim.wishId(), claim.campaignId(), claim.id(), 0));
        }
    }
}
