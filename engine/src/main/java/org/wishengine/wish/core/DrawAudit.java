package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public record of a fair-start draw: everything needed to recompute it, and nothing that names
 * a user. Published with the result (it contains the seed), and checked by {@link #verify}.
 *
 * <p>Users appear only as {@code userHash} = lowercase hex HMAC-SHA256(key = the 32 seed bytes,
 * message = the UTF-8 bytes of {@code "user:"} followed by the user id). The seed salts the hash,
 * so the same user looks different in every campaign and no table of hashes carries over; the
 * {@code user:} prefix keeps these messages apart from the 8-byte counters of the order stream.
 * A user can find their own entries by computing their hash; since the seed is public once the audit
 * is, anyone who can guess a user id can test it too, so this hides ids that are hard to guess, not
 * e-mail addresses. The draw needs users only to tell which entries share one, and the hash keeps
 * exactly that.
 *
 * @param campaignId  the campaign drawn; a label, not part of the check
 * @param commitment  SHA-256 of the seed, as published before the campaign opened
 * @param seed        the seed, 64 lowercase hex digits
 * @param unitsLeft   units of each wish unclaimed when the draw started, by wish id
 * @param held        claims held in the campaign before the draw, by user hash and wish
 * @param entries     every entry, in arrival order
 * @param drawn       the entry ids in drawn order
 * @param winners     the ids of the winning entries, in drawn order
 */
public record DrawAudit(String campaignId, String commitment, String seed, int perUserLimit,
                        Map<String, Integer> unitsLeft, List<Held> held, List<Entry> entries, List<String> drawn,
                        List<String> winners) {

    /** An entry as published: the user replaced by their hash. */
    public record Entry(String entryId, String wishId, String userHash, long arrival) {
    }

    /** A claim held before the draw, as published: the user replaced by their hash. */
    public record Held(String userHash, String wishId) {
    }

    private static final String NONE = "(none)";

    public DrawAudit {
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(commitment, "commitment");
        Objects.requireNonNull(seed, "seed");
        // Sorted so the record reads the same every time it is written out.
        unitsLeft = Collections.unmodifiableMap(new TreeMap<>(unitsLeft));
        held = List.copyOf(held);
        entries = List.copyOf(entries);
        drawn = List.copyOf(drawn);
        winners = List.copyOf(winners);
    }

    /** How user {@code userId} appears in the audit of a draw keyed with {@code seed}. */
    public static String userHash(DrawSeed seed, String userId) {
        return DrawHash.HEX.formatHex(DrawHash.hmacSha256(seed.bytes(), DrawHash.utf8("user:" + userId)));
    }

    static DrawAudit of(String campaignId, Draw draw) {
        DrawSeed seed = draw.seed();
        List<Entry> entries = new ArrayList<>(draw.entries().size());
        for (DrawEntry entry : draw.entries()) {
            entries.add(new Entry(entry.entryId(), entry.wishId(), userHash(seed, entry.userId()), entry.arrival()));
        }
        List<Held> held = new ArrayList<>(draw.held().size());
        for (DrawSettlement.Held claim : draw.held()) {
            held.add(new Held(userHash(seed, claim.userId()), claim.wishId()));
        }
        held.sort(Comparator.comparing(Held::userHash).thenComparing(Held::wishId));
        List<String> drawn = new ArrayList<>(draw.drawn().size());
        for (DrawEntry entry : draw.drawn()) {
            drawn.add(entry.entryId());
        }
        return new DrawAudit(campaignId, seed.commitment(), seed.hex(), draw.perUserLimit(), draw.unitsLeft(), held,
                entries, drawn, draw.settlement().winnerIds());
    }

    /**
     * Recomputes the draw this audit records and says whether it matches: in order, the seed is 32
     * bytes of hex; its SHA-256 is the commitment; the entries are well formed, with distinct ids,
     * in strictly increasing arrival; the rules are usable (limit at least 1, no negative or missing
     * unit count for a wish with entries); the drawn order is {@link DrawOrder#of} of the seed and
     * the entries (with user hashes standing for users); the winners are what
     * {@link DrawSettlement#settle} gives for that order. The first check that fails is reported,
     * at the first position where it fails.
     */
    public static DrawVerdict verify(DrawAudit audit) {
        DrawSeed seed;
        try {
            seed = DrawSeed.parse(audit.seed());
        } catch (IllegalArgumentException e) {
            return mismatch(DrawVerdict.Part.SEED, -1, "64 hex digits", audit.seed());
        }
        if (!seed.commitment().equals(audit.commitment())) {
            return mismatch(DrawVerdict.Part.COMMITMENT, -1, seed.commitment(), audit.commitment());
        }
        List<DrawEntry> entries = new ArrayList<>(audit.entries().size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < audit.entries().size(); i++) {
            Entry entry = audit.entries().get(i);
            DrawEntry asDrawn;
            try {
                asDrawn = new DrawEntry(entry.entryId(), entry.wishId(), entry.userHash(), entry.arrival());
            } catch (RuntimeException e) {
                return mismatch(DrawVerdict.Part.ENTRIES, i, "an entry id, wish id and user hash", String.valueOf(entry));
            }
            if (!ids.add(entry.entryId())) {
                return mismatch(DrawVerdict.Part.ENTRIES, i, "a new entry id", entry.entryId() + " again");
            }
            if (i > 0 && entry.arrival() <= audit.entries().get(i - 1).arrival()) {
                return mismatch(DrawVerdict.Part.ENTRIES, i, "arrival after " + audit.entries().get(i - 1).arrival(),
                        "arrival " + entry.arrival());
            }
            entries.add(asDrawn);
        }
        DrawVerdict rules = checkRules(audit);
        if (rules != null) {
            return rules;
        }
        List<DrawEntry> order = DrawOrder.of(seed, entries);
        List<String> drawn = new ArrayList<>(order.size());
        for (DrawEntry entry : order) {
            drawn.add(entry.entryId());
        }
        DrawVerdict orderDiffers = firstDifference(DrawVerdict.Part.DRAWN_ORDER, drawn, audit.drawn());
        if (orderDiffers != null) {
            return orderDiffers;
        }
        List<DrawSettlement.Held> held = new ArrayList<>(audit.held().size());
        for (Held claim : audit.held()) {
            held.add(new DrawSettlement.Held(claim.userHash(), claim.wishId()));
        }
        List<String> winners = DrawSettlement.settle(order, audit.unitsLeft(), audit.perUserLimit(), held).winnerIds();
        DrawVerdict winnersDiffer = firstDifference(DrawVerdict.Part.WINNERS, winners, audit.winners());
        if (winnersDiffer != null) {
            return winnersDiffer;
        }
        return new DrawVerdict.Verified(audit.commitment(), entries.size(), winners.size());
    }

    private static DrawVerdict checkRules(DrawAudit audit) {
        if (audit.perUserLimit() < 1) {
            return mismatch(DrawVerdict.Part.RULES, -1, "a per-user limit of at least 1", "" + audit.perUserLimit());
        }
        for (Map.Entry<String, Integer> units : audit.unitsLeft().entrySet()) {
            if (units.getValue() == null || units.getValue() < 0) {
                return mismatch(DrawVerdict.Part.RULES, -1, "units left of wish " + units.getKey() + " at least 0",
                        String.valueOf(units.getValue()));
            }
        }
        for (Entry entry : audit.entries()) {
            if (!audit.unitsLeft().containsKey(entry.wishId())) {
                return mismatch(DrawVerdict.Part.RULES, -1, "units left of wish " + entry.wishId(), NONE);
            }
        }
        for (Held claim : audit.held()) {
            if (claim == null || claim.userHash() == null || claim.wishId() == null) {
                return mismatch(DrawVerdict.Part.RULES, -1, "a held claim with user hash and wish", String.valueOf(claim));
            }
        }
        return null;
    }

    private static DrawVerdict firstDifference(DrawVerdict.Part part, List<String> expected, List<String> found) {
        int common = Math.min(expected.size(), found.size());
        for (int i = 0; i < common; i++) {
            if (!expected.get(i).equals(found.get(i))) {
                return mismatch(part, i, expected.get(i), found.get(i));
            }
        }
        if (expected.size() != found.size()) {
            return mismatch(part, common, common < expected.size() ? expected.get(common) : NONE,
                    common < found.size() ? found.get(common) : NONE);
        }
        return null;
    }

    private static DrawVerdict mismatch(DrawVerdict.Part part, int index, String expected, String found) {
        return new DrawVerdict.Mismatch(part, index, expected, String.valueOf(found));
    }
}
