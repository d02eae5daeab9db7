package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared drafts and helpers for the book tests. Times are epoch millis; nothing sleeps. */
final class BookFixtures {

    /** 2027-01-15T08:00:00Z, an arbitrary fixed opening. */
    static final long OPENS = 1_800_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final long BEFORE = OPENS - HOUR;

    private BookFixtures() {
    }

    static WishSpec wish(String id, int quantity) {
        return new WishSpec(id, "Wish " + id, quantity, "elderly", "Zhujing/Dongxing", "Grandma Wang, 82", "A radio");
    }

    static WishSpec wish(String id, int quantity, String category, String location) {
        return new WishSpec(id, "Wish " + id, quantity, category, location, "Someone", "Something");
    }

    static Campaign draft(String id, int perUserLimit, int fulfilWithinHours, WishSpec... wishes) {
        return draft(id, OPENS, perUserLimit, fulfilWithinHours, wishes);
    }

    static Campaign draft(String id, long opensAt, int perUserLimit, int fulfilWithinHours, WishSpec... wishes) {
        return new Campaign(id, "Campaign " + id, opensAt, perUserLimit, fulfilWithinHours, 0L, Arrays.asList(wishes));
    }

    /** Creates the campaign (an hour before {@link #OPENS}) and checks that it was created. */
    static Campaign create(Book book, Campaign draft) {
        return create(book, draft, BEFORE);
    }

    static Campaign create(Book book, Campaign draft, long now) {
        Outcome outcome = book.createCampaign(draft, now);
        assertEquals(Result.CREATED, outcome.result(), () -> "create " + draft + " -> " + outcome);
        return outcome.campaign();
    }

    static Claim claimed(Book book, String wishId, String userId, long now) {
        Outcome outcome = book.claim(wishId, userId, now);
        assertEquals(Result.CREATED, outcome.result(), () -> userId + " claims " + wishId + " -> " + outcome);
        return outcome.claim();
    }

    static Claim updated(Outcome outcome) {
        assertEquals(Result.UPDATED, outcome.result(), () -> "expected UPDATED, got " + outcome);
        return outcome.claim();
    }

    static List<Claim> expire(Book book, long now) {
        return book.expire(now).expired();
    }

    static List<String> ids(List<Claim> claims) {
        List<String> ids = new ArrayList<>(claims.size());
        for (Claim claim : claims) {
            ids.add(claim.id());
        }
        return ids;
    }

    static int remaining(Book book, String wishId) {
        return book.wish(wishId).remaining();
    }
}
