package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which entries of a draw win: the entries are taken in drawn order, each exactly as the book would
 * take a claim arriving at that moment. An entry for wish w by user u
 * <ol>
 * <li>loses ({@link LossReason#HOLDS_WISH}) when u already holds w, from before the draw or by
 *     winning an earlier entry: at most one win per user and wish;</li>
 * <li>else loses ({@link LossReason#SOLD_OUT}) when no unit of w is left;</li>
 * <li>else loses ({@link LossReason#LIMIT_REACHED}) when u already holds {@code perUserLimit}
 *     claims in the campaign, counting those held before the draw and those won in it;</li>
 * <li>else wins one unit of w.</li>
 * </ol>
 * The checks come in the book's order (repeat, sold out, limit) so a loss names the reason a claim
 * would have been refused with.
 *
 * <p>Inputs: {@code unitsLeft} holds, for every wish with entries, the units still unclaimed when
 * the draw starts (claims held before it are already taken off). {@code held} lists the active
 * claims users held in the campaign before the draw, one per user and wish (repeats count once);
 * each counts towards that user's limit and blocks a win on its wish. Entries made inside the
 * window are usually all there is, so {@code held} is usually empty; the caller passes whatever the
 * book holds so the draw cannot exceed a limit.
 *
 * @param wins   the winning entries, in drawn order
 * @param losses the losing entries, in drawn order
 */
public record DrawSettlement(List<Win> wins, List<Loss> losses) {

    /** Why an entry did not win. */
    public enum LossReason {
        /** The user already held a unit of this wish. */
        HOLDS_WISH,
        /** No unit of the wish was left. */
        SOLD_OUT,
        /** The user already held as many claims in the campaign as the per-user limit allows. */
        LIMIT_REACHED
    }

    /** An entry that won one unit of its wish; {@code place} is its index in the drawn order. */
    public record Win(DrawEntry entry, int place) {
        /** The wish the entry won a unit of. */
        public String wishId() {
            return entry.wishId();
        }
    }

    /** An entry that did not win; {@code place} is its index in the drawn order. */
    public record Loss(DrawEntry entry, int place, LossReason reason) {
    }

    /** An active claim user {@code userId} held on wish {@code wishId} before the draw. */
    public record Held(String userId, String wishId) {
        public Held {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(wishId, "wishId");
        }
    }

    public DrawSettlement {
        wins = List.copyOf(wins);
        losses = List.copyOf(losses);
    }

    /**
     * Settles {@code drawn} (the output of {@link DrawOrder#of}) under the rules above. Refuses a
     * limit below 1, a negative unit count, and an entry whose wish has no count in
     * {@code unitsLeft}: a missing count is the caller's mistake, not a sold-out wish.
     */
    public static DrawSettlement settle(List<DrawEntry> drawn, Map<String, Integer> unitsLeft, int perUserLimit,
                                        Collection<Held> held) {
        if (perUserLimit < 1) {
            throw new IllegalArgumentException("perUserLimit must be at least 1: " + perUserLimit);
        }
        Map<String, Integer> left = new HashMap<>();
        for (Map.Entry<String, Integer> units : unitsLeft.entrySet()) {
            if (units.getValue() == null || units.getValue() < 0) {
                throw new IllegalArgumentException("units left of wish " + units.getKey() + ": " + units.getValue());
            }
            left.put(units.getKey(), units.getValue());
        }
        Set<Held> holding = new HashSet<>(held);
        Map<String, Integer> heldByUser = new HashMap<>();
        for (Held claim : holding) {
            heldByUser.merge(claim.userId(), 1, Integer::sum);
        }
        List<Win> wins = new ArrayList<>();
        List<Loss> losses = new ArrayList<>();
        for (int place = 0; place < drawn.size(); place++) {
            DrawEntry entry = drawn.get(place);
            Integer units = left.get(entry.wishId());
            if (units == null) {
                throw new IllegalArgumentException("no units left given for wish " + entry.wishId());
            }
            Held claim = new Held(entry.userId(), entry.wishId());
            LossReason reason = holding.contains(claim) ? LossReason.HOLDS_WISH
                    : units == 0 ? LossReason.SOLD_OUT
                    : heldByUser.getOrDefault(entry.userId(), 0) >= perUserLimit ? LossReason.LIMIT_REACHED
                    : null;
            if (reason != null) {
                losses.add(new Loss(entry, place, reason));
                continue;
            }
            left.put(entry.wishId(), units - 1);
            holding.add(claim);
            heldByUser.merge(entry.userId(), 1, Integer::sum);
            wins.add(new Win(entry, place));
        }
        return new DrawSettlement(wins, losses);
    }

    /** The ids of the winning entries, in drawn order: what an audit publishes as its winners. */
    public List<String> winnerIds() {
        List<String> ids = new ArrayList<>(wins.size());
        for (Win win : wins) {
            ids.add(win.entry().entryId());
        }
        return ids;
    }
}
