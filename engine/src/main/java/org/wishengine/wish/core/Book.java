package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settlement book: every campaign, wish and claim, and the only code that decides claims.
 *
 * <p>Single-threaded by contract: one thread (the ring's settle stage) calls every method. It
 * takes no locks and does no I/O, so each decision is a handful of hash lookups. Because one
 * thread decides every command in one order, the invariants of the API hold by construction:
 * a unit is never held twice, a user holds at most one active claim per wish and at most
 * {@code perUserLimit} per campaign, and nothing is claimed before {@code opensAt}.
 *
 * <p>Time is passed in with each command (epoch millis stamped by the publisher). The book
 * keeps its own clock as the maximum seen so far, so that timestamps it writes never go
 * backwards even when publishers' clocks disagree by a few microseconds; given the same
 * commands the book makes the same decisions.
 *
 * <p>Lay-out for speed: a claim is two hash lookups (the wish, the user) and a few array
 * writes. Claims are numbered ({@code cl-N}) and kept as columns of primitives indexed by that
 * number ({@link ClaimTable}), so the book retains no object per claim; each user keeps the
 * numbers of the handful of claims they hold in a small array, beside the wish and campaign of
 * each, which answers both "does this user already hold this wish" and "how many in this
 * campaign" with one short scan over integers.
 *
 * <p>Every method that changes state returns what changed ({@link Outcome#claim()}, the
 * created {@link Campaign}, or the list from {@link #expire}), which the caller commits, and
 * the {@link WishEvent}s watchers should hear of it once committed.
 *
 * <p>Claim numbers come from one counter ({@code cl-1}, {@code cl-2}, ...) in a book made with
 * a constructor, the engine on a single Redis. A book of a cluster node ({@link #numberedInBlocks})
 * numbers each campaign's claims from blocks of {@link ClaimBlocks#SIZE} numbers granted to that
 * campaign alone ({@link #grantBlock}), so that any node can tell a claim's campaign from its
 * number; such a node takes campaigns over and hands them on at run time ({@link #adopt},
 * {@link #drop}).
 *
 * <p>The book also holds the organiser tree ({@link OrgTree}): a campaign may belong to an org,
 * and an organiser acts with a scope (an org id; null for the district administrator, who
 * reaches everything), which covers the campaigns of its org and every org below it. Every
 * organiser action has an overload taking the scope; the methods without one act as the district
 * administrator. The statistics of every subtree move with each claim transition, along the
 * campaign's org and its ancestors (O(depth)), so reading them costs the children of an org.
 */
public final class Book {

    private static final String CLAIM_PREFIX = "cl-";

    private final Map<String, CampaignState> campaigns = new LinkedHashMap<>();
    private final Map<String, WishState> wishes = new HashMap<>();
    private final Map<String, UserState> users = new HashMap<>();
    /** Wishes, users and campaigns by the index the claim table and user states refer to them by. */
    private final List<WishState> wishesByIndex = new ArrayList<>();
    private final List<UserState> usersByIndex = new ArrayList<>();
    /** Where users' lists of claims and entries live, so that growing one stores no reference (see LongArena). */
    private final LongArena userLists = new LongArena();
    /** Campaigns by index (null once dropped): what users' entry keys refer to. */
    private final List<CampaignState> campaignsByIndex = new ArrayList<>();
    /** Fair-start campaigns whose draw has not run, in creation order: what a draw tick looks at. */
    private final Set<CampaignState> undrawn = new java.util.LinkedHashSet<>();
    /** Every wish in listing order (campaigns by creation, then draft order): what listing positions count. */
    private final List<WishState> listing = new ArrayList<>();
    private final ClaimTable claims = new ClaimTable();
    private final Counters totals = new Counters();
    private final OrgTree tree = new OrgTree();
    private long clock;
    private long lastClaimNumber;
    private long lastCampaignNumber;
    private long lastWishNumber;
    private long lastCreatedAt;
    /** The index the next campaign gets: never reused, since users' held claims refer to campaigns by it. */
    private int nextCampaignIndex;
    /** Who grants claim number blocks, in block numbering; null when numbers come from {@link #lastClaimNumber}. */
    private final BlockWanted wanted;
    /** Claims in the order they were made (a campaign's, a user's): what recovery and adoption restore. */
    private final LongList.Order byClaimTime = (a, b) -> {
        int byTime = Long.compare(claims.claimedAt(a), claims.claimedAt(b));
        return byTime != 0 ? byTime : Long.compare(a, b);
    };
    /** Claims expire this many times sooner than their campaign's window says; 1 in service (see {@link #Book(int)}). */
    private final int expirySpeedup;

    /** A book whose claims expire after their campaign's {@code fulfilWithinHours}, as the contract says. */
    public Book() {
        this(1);
    }

    /**
     * A book whose claims expire {@code expirySpeedup} times sooner than their campaign's
     * {@code fulfilWithinHours} says: for soak and expiry tests only, which must see claims expire
     * within minutes while the contract's shortest window is an hour. 1 keeps the contract.
     */
    public Book(int expirySpeedup) {
        this(expirySpeedup, null);
    }

    private Book(int expirySpeedup, BlockWanted wanted) {
        if (expirySpeedup < 1) {
            throw new IllegalArgumentException("expiry speed-up must be at least 1, not " + expirySpeedup);
        }
        this.expirySpeedup = expirySpeedup;
        this.wanted = wanted;
    }

    /**
     * A cluster node's book: each campaign numbers its claims from the blocks granted to it
     * ({@link #grantBlock}), asking {@code wanted} for the next block when fewer than half a block
     * of numbers is left (and when it has none: on creation or adoption). A claim on a campaign
     * whose numbers are used up is refused {@link Result#NO_NUMBERS}. Campaigns are created only
     * with every id set (the cluster's registry assigns them).
     */
    public static Book numberedInBlocks(int expirySpeedup, BlockWanted wanted) {
        if (wanted == null) {
            throw new IllegalArgumentException("block numbering needs someone to want blocks");
        }
        return new Book(expirySpeedup, wanted);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Creates a campaign from a draft, assigning ids where the draft has none.
     * {@code ALREADY_EXISTS} (with the taken id as detail) when the campaign id or a wish id is
     * taken or repeated in the draft. In block numbering every id must be set (else
     * IllegalArgumentException), and the new campaign asks for its first block.
     */
    public Outcome createCampaign(Campaign draft, long now) {
        return createCampaign(draft, now, 0);
    }

    /**
     * Creates a campaign (see {@link #createCampaign(Campaign, long)}) that starts with
     * {@code firstBlock} of claim numbers (block numbering; 0 for none), so that the first claims
     * after its publication need not wait for a grant.
     */
    public Outcome createCampaign(Campaign draft, long now, long firstBlock) {
        return createCampaign(draft, now, firstBlock, null);
    }

    /**
     * Creates a campaign (see {@link #createCampaign(Campaign, long, long)}) for an organiser of
     * {@code scope} (null: the district administrator). Refused, changing nothing:
     * {@code FORBIDDEN} when the draft's org is not within the scope (a campaign of the whole
     * district, org null, is the administrator's alone), {@code UNKNOWN_ORG} when no org has the
     * draft's id, {@code ORG_RETIRED} when its org is retired; the org id is the detail.
     */
    public Outcome createCampaign(Campaign draft, long now, long firstBlock, String scope) {
        if (wanted != null) {
            requireIds(draft);
        }
        if (firstBlock != 0 && (wanted == null || firstBlock < 1 || firstBlock > ClaimBlocks.MAX_BLOCK)) {
            throw new IllegalArgumentException("no first block " + firstBlock + " for this book");
        }
        if (!tree.isWithin(draft.org(), scope)) {
            return new Outcome(Result.FORBIDDEN, null, null, draft.org());
        }
        if (draft.org() != null) {
            Org org = tree.get(draft.org());
            if (org == null || org.retired()) {
                return new Outcome(org == null ? Result.UNKNOWN_ORG : Result.ORG_RETIRED, null, null, draft.org());
            }
        }
        long at = tick(now);
        if (at <= lastCreatedAt) {
            // Creation times are unique so that listings keep their order after recovery.
            at = lastCreatedAt + 1;
            clock = at;
        }
        String campaignId = draft.id();
        if (campaignId != null && campaigns.containsKey(campaignId)) {
            return new Outcome(Result.ALREADY_EXISTS, null, null, campaignId);
        }
        Set<String> seen = new HashSet<>();
        for (WishSpec wish : draft.wishes()) {
            if (wish.id() != null && (wishes.containsKey(wish.id()) || !seen.add(wish.id()))) {
                return new Outcome(Result.ALREADY_EXISTS, null, null, wish.id());
            }
        }
        if (campaignId == null) {
            do {
                campaignId = "c-" + ++lastCampaignNumber;
            } while (campaigns.containsKey(campaignId));
        }
        List<WishSpec> specs = new ArrayList<>(draft.wishes().size());
        for (WishSpec wish : draft.wishes()) {
            String wishId = wish.id();
            while (wishId == null || (wish.id() == null && (wishes.containsKey(wishId) || seen.contains(wishId)))) {
                wishId = "w-" + ++lastWishNumber;
            }
            specs.add(wishId.equals(wish.id()) ? wish : wish.withId(wishId));
        }
        Campaign campaign = draft.withIds(campaignId, specs, at);
        lastCreatedAt = at;
        CampaignState state = add(campaign);
        if (wanted != null) {
            if (firstBlock != 0) {
                state.queuedBlocks.addLast(firstBlock);
            }
            wantIfLow(state);
        }
        return new Outcome(Result.CREATED, null, campaign, null, WishEvent.created(campaign));
    }

    /**
     * Claims one unit of a wish for a user. {@code CREATED} with the new claim; {@code REPEAT}
     * with the claim the user already holds on this wish; otherwise a rejection that changes
     * nothing: {@code NOT_FOUND}, {@code NOT_OPEN} (with the campaign), {@code SOLD_OUT},
     * {@code LIMIT_REACHED}, and in block numbering {@code NO_NUMBERS} when the campaign's
     * granted numbers are used up.
     */
    public Outcome claim(String wishId, String userId, long now) {
        WishState wish = wishes.get(wishId);
        if (wish == null) {
            return Outcome.NOT_FOUND;
        }
        CampaignState campaign = wish.campaign;
        if (now < campaign.campaign.opensAt()) {
            return new Outcome(Result.NOT_OPEN, null, campaign.campaign, null);
        }
        if (campaign.fairStart && campaign.drawnAt == 0) {
            // Inside the window every claim is an equal entry; after it, nothing is settled
            // first-come before the draw has run (drawIfDue runs it first).
            return campaign.entriesClosed || now >= campaign.drawAt
                    ? new Outcome(Result.DRAW_PENDING, null, campaign.campaign, null)
                    : enter(campaign, wish, userId, now);
        }
        UserState user = users.get(userId);
        int heldInCampaign = 0;
        if (user != null) {
            // A user holds a handful of claims: one scan over the wish and campaign numbers beside
            // them answers both the repeat and the limit without touching the claim table.
            long key = UserState.heldKey(wish);
            for (int i = 0; i < user.active.size(); i++) {
                long held = user.held.get(i);
                if (held == key) {
                    return Outcome.of(Result.REPEAT, read(user.active.get(i)));
                }
                if (UserState.campaignOf(held) == campaign.index) {
                    heldInCampaign++;
                }
            }
        }
        if (wish.remaining == 0) {
            return Outcome.SOLD_OUT;
        }
        if (heldInCampaign >= campaign.campaign.perUserLimit()) {
            return Outcome.LIMIT_REACHED;
        }
        long number = wanted == null ? ++lastClaimNumber : numberFromBlocks(campaign);
        if (number == 0) {
            return Outcome.NO_NUMBERS;
        }
        if (user == null) {
            user = newUser(userId);
        }
        return Outcome.changed(Result.CREATED, newClaim(campaign, wish, user, number, tick(now)), wish.remaining);
    }

    /**
     * A claim inside a fair-start window: {@code ENTERED} with a new entry, {@code ENTRY_REPEAT}
     * with the user's entry for this wish, or {@code LIMIT_REACHED} when the user's entries (and
     * claims) in the campaign already reach its per-user limit.
     */
    private Outcome enter(CampaignState campaign, WishState wish, String userId, long now) {
        UserState user = users.get(userId);
        int taken = 0;
        if (user != null) {
            for (int i = 0; i < user.entryKeys.size(); i++) {
                long key = user.entryKeys.get(i);
                if ((int) (key >>> 32) == campaign.index) {
                    Entry entry = campaign.entries.get((int) key);
                    if (entry.wishId().equals(wish.spec.id())) {
                        return Outcome.entry(Result.ENTRY_REPEAT, entry, campaign.campaign);
                    }
                    taken++;
                }
            }
            taken += user.heldIn(campaign.index);
        }
        if (taken >= campaign.campaign.perUserLimit()) {
            return Outcome.LIMIT_REACHED;
        }
        if (user == null) {
            user = newUser(userId);
        }
        // Entered before the window closed, whatever the book's clock says (another publisher's may run ahead).
        long at = Math.min(tick(now), campaign.drawAt - 1);
        int index = campaign.entries.size();
        Entry entry = new Entry(Entry.idOf(index + 1L), campaign.campaign.id(), wish.spec.id(), user.id, at,
                campaign.drawAt, EntryOutcome.PENDING, 0, null, null);
        campaign.entries.add(entry);
        user.entryKeys.add(entryKey(campaign, index));
        return Outcome.entry(Result.ENTERED, entry, campaign.campaign);
    }

    /** Makes a claim: the one place a unit is taken, for a first-come claim and a draw's winner alike. */
    private Claim newClaim(CampaignState campaign, WishState wish, UserState user, long number, long at) {
        claims.claimed(number, wish.index, user.index, at);
        wish.remaining--;
        user.hold(number, wish);
        user.history.add(number);
        campaign.claimNumbers.add(number);
        campaign.pendingExpiry.addLast(number);
        count(campaign, null, ClaimStatus.CLAIMED, 0);
        return Claim.claimed(CLAIM_PREFIX + number, wish.spec.id(), campaign.campaign.id(), user.id, at);
    }

    // ---------------------------------------------------------------- fair-start draws

    /**
     * Runs the draw of the wish's campaign when its window has closed ({@code now >= drawAt}) and
     * it has not run; {@link Reply.Draws#NONE} otherwise (also when the wish is unknown).
     */
    public Reply.Draws drawIfDue(String wishId, long now) {
        if (undrawn.isEmpty()) {
            return Reply.Draws.NONE; // the claim path of a book without fair start pays one field read
        }
        WishState wish = wishes.get(wishId);
        if (wish == null || !undrawn.contains(wish.campaign) || now < wish.campaign.drawAt) {
            return Reply.Draws.NONE;
        }
        return draw(wish.campaign, now);
    }

    /** Runs every draw whose window has closed by {@code now}: the draw tick. */
    public Reply.Draws drawDue(long now) {
        List<CampaignState> due = null;
        for (CampaignState campaign : undrawn) {
            if (now >= campaign.drawAt) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(campaign);
            }
        }
        if (due == null) {
            return Reply.Draws.NONE;
        }
        List<Claim> madeClaims = new ArrayList<>();
        List<Entry> settled = new ArrayList<>();
        List<WishEvent> events = new ArrayList<>();
        for (CampaignState campaign : due) {
            Reply.Draws drawn = draw(campaign, now);
            madeClaims.addAll(drawn.claims());
            settled.addAll(drawn.entries());
            events.addAll(drawn.events());
        }
        return events.isEmpty() ? Reply.Draws.NONE : new Reply.Draws(madeClaims, settled, events);
    }

    /**
     * Draws the campaign ({@link Draw#run}) from its seed, its entries, its units and the claims
     * held in it (none, since nothing is claimed before the draw), and settles the result: each
     * winner gets a claim, made exactly as a first-come claim is, in drawn order; every entry gets
     * its outcome. No entry is taken from then on. In block numbering, when the campaign holds
     * fewer claim numbers than the draw has winners, it asks for more and the draw waits
     * ({@link Reply.Draws#NONE}); the next tick or claim tries again.
     */
    private Reply.Draws draw(CampaignState campaign, long now) {
        campaign.entriesClosed = true;
        Map<String, Integer> unitsLeft = new HashMap<>();
        for (WishState wish : campaign.wishes) {
            unitsLeft.put(wish.spec.id(), wish.remaining);
        }
        Draw draw = Draw.run(campaign.campaign.fairStart().seed(), drawEntries(campaign), unitsLeft,
                campaign.campaign.perUserLimit(), heldIn(campaign));
        List<DrawSettlement.Win> wins = draw.settlement().wins();
        if (wanted != null && numbersLeft(campaign) < wins.size()) {
            campaign.numbersNeeded = wins.size();
            wantIfLow(campaign);
            return Reply.Draws.NONE;
        }
        campaign.numbersNeeded = 0;
        long at = tick(now);
        String campaignId = campaign.campaign.id();
        List<Claim> madeClaims = new ArrayList<>(wins.size());
        List<WishEvent> events = new ArrayList<>(wins.size() + 1);
        // What each entry got, by arrival, so the settled entries come out in arrival order in one pass.
        String[] claimIds = new String[campaign.entries.size()];
        DrawSettlement.LossReason[] reasons = new DrawSettlement.LossReason[campaign.entries.size()];
        for (DrawSettlement.Win win : wins) {
            WishState wish = wishes.get(win.wishId());
            UserState user = users.get(win.entry().userId());
            long number = wanted == null ? ++lastClaimNumber : numberFromBlocks(campaign);
            Claim claim = newClaim(campaign, wish, user, number, at);
            madeClaims.add(claim);
            events.addAll(WishEvent.after(claim, wish.remaining));
            claimIds[(int) win.entry().arrival() - 1] = claim.id();
        }
        for (DrawSettlement.Loss loss : draw.settlement().losses()) {
            reasons[(int) loss.entry().arrival() - 1] = loss.reason();
        }
        List<Entry> settled = new ArrayList<>(campaign.entries.size());
        for (int i = 0; i < claimIds.length; i++) {
            Entry entry = campaign.entries.get(i);
            Entry after = new Entry(entry.id(), entry.campaignId(), entry.wishId(), entry.userId(), entry.enteredAt(),
                    entry.drawAt(), claimIds[i] != null ? EntryOutcome.WON : EntryOutcome.LOST, at, claimIds[i],
                    reasons[i]);
            campaign.entries.set(i, after);
            settled.add(after);
        }
        // A draw without entries commits nothing, so recovery cannot learn when it ran: it counts
        // as drawn when its window closed, which a restart can tell again (recoveredDraw).
        campaign.drawnAt = campaign.entries.isEmpty() ? campaign.drawAt : at;
        campaign.draw = draw;
        undrawn.remove(campaign);
        events.add(WishEvent.drawn(campaignId, campaign.remaining()));
        return new Reply.Draws(madeClaims, settled, events);
    }

    private static List<DrawEntry> drawEntries(CampaignState campaign) {
        List<DrawEntry> entries = new ArrayList<>(campaign.entries.size());
        for (int i = 0; i < campaign.entries.size(); i++) {
            Entry entry = campaign.entries.get(i);
            entries.add(new DrawEntry(entry.id(), entry.wishId(), entry.userId(), i + 1L));
        }
        return entries;
    }

    /** The active claims held in the campaign, one per user and wish: what a draw must respect. */
    private List<DrawSettlement.Held> heldIn(CampaignState campaign) {
        List<DrawSettlement.Held> held = new ArrayList<>();
        for (int i = 0; i < campaign.claimNumbers.size(); i++) {
            long number = campaign.claimNumbers.get(i);
            if (claims.status(number).isActive()) {
                WishState wish = wishesByIndex.get(claims.wish(number));
                held.add(new DrawSettlement.Held(usersByIndex.get(claims.user(number)).id, wish.spec.id()));
            }
        }
        return held;
    }

    private static long entryKey(CampaignState campaign, int index) {
        return (long) campaign.index << 32 | index;
    }

    /**
     * The claimer (or an organiser, {@code actor == null}) gives a claimed unit back to the pool.
     */
    public Outcome cancel(String claimId, String actor, long now) {
        return cancel(claimId, actor, null, now);
    }

    /**
     * Cancels as {@link #cancel(String, String, long)} does; an organiser ({@code actor == null})
     * of {@code scope} reaches only claims of campaigns within it ({@code FORBIDDEN} otherwise).
     */
    public Outcome cancel(String claimId, String actor, String scope, long now) {
        long number = claimNumber(claimId);
        Outcome refused = refuse(number, actor, scope, ClaimStatus.CLAIMED);
        if (refused != null) {
            return refused;
        }
        return updated(number, release(number, ClaimStatus.CANCELLED, tick(now)));
    }

    /** The claimer (or an organiser) says the gift was delivered: {@code claimed -> fulfilled}. */
    public Outcome fulfil(String claimId, String actor, long now) {
        return fulfil(claimId, actor, null, now);
    }

    /** Fulfils as {@link #fulfil(String, String, long)} does; an organiser of {@code scope} only within it. */
    public Outcome fulfil(String claimId, String actor, String scope, long now) {
        long number = claimNumber(claimId);
        Outcome refused = refuse(number, actor, scope, ClaimStatus.CLAIMED);
        if (refused != null) {
            return refused;
        }
        return updated(number, advance(number, ClaimStatus.FULFILLED, tick(now)));
    }

    /**
     * An organiser confirms a fulfilled claim and records the beneficiary's rating (valid by
     * {@link CampaignRules#validRating}, checked by the edge): {@code fulfilled -> confirmed}.
     */
    public Outcome confirm(String claimId, int rating, String comment, long now) {
        return confirm(claimId, rating, comment, null, now);
    }

    /** Confirms as {@link #confirm(String, int, String, long)} does, for an organiser of {@code scope}: only within it. */
    public Outcome confirm(String claimId, int rating, String comment, String scope, long now) {
        long number = claimNumber(claimId);
        Outcome refused = refuse(number, null, scope, ClaimStatus.FULFILLED);
        if (refused != null) {
            return refused;
        }
        claims.rate(number, rating, comment);
        return updated(number, advance(number, ClaimStatus.CONFIRMED, tick(now)));
    }

    /**
     * Expires every claim still {@code claimed} after its campaign's {@code fulfilWithinHours}
     * (divided by the book's expiry speed-up), returning their units to the pool, each announced with the units of its wish left right
     * after its own came back.
     */
    public Reply.Expiry expire(long now) {
        long at = tick(now);
        List<Claim> expired = null;
        List<WishEvent> events = null;
        for (CampaignState campaign : campaigns.values()) {
            long window = campaign.campaign.fulfilWithinMillis() / expirySpeedup;
            LongQueue queue = campaign.pendingExpiry;
            while (!queue.isEmpty()) {
                long number = queue.peekFirst();
                if (claims.status(number) != ClaimStatus.CLAIMED) {
                    queue.pollFirst();
                } else if (claims.claimedAt(number) + window <= at) {
                    queue.pollFirst();
                    if (expired == null) {
                        expired = new ArrayList<>();
                        events = new ArrayList<>();
                    }
                    Claim claim = release(number, ClaimStatus.EXPIRED, at);
                    expired.add(claim);
                    events.addAll(WishEvent.after(claim, wishesByIndex.get(claims.wish(number)).remaining));
                } else {
                    break;
                }
            }
        }
        return expired == null ? Reply.Expiry.NONE : new Reply.Expiry(expired, events);
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Loads an org of the organiser tree read back from the store, in any order; the first state
     * given for an id wins. Call before {@link #restore(Campaign)}, so that campaigns count to
     * their orgs.
     *
     * @throws IllegalStateException when the orgs restored make a cycle (a damaged store)
     */
    public void restore(Org org) {
        tree.restore(org);
    }

    /**
     * Loads a campaign read back from the store. Call before {@link #restore(Claim)} of its
     * claims. A campaign whose org the tree does not hold is kept and counted in the totals only;
     * only the district administrator reaches it.
     */
    public void restore(Campaign campaign) {
        if (campaigns.containsKey(campaign.id())) {
            return; // a SCAN may return a key twice
        }
        tick(campaign.createdAt());
        lastCreatedAt = Math.max(lastCreatedAt, campaign.createdAt());
        add(campaign);
        lastCampaignNumber = Math.max(lastCampaignNumber, numberIn(campaign.id(), "c-"));
        for (WishSpec wish : campaign.wishes()) {
            lastWishNumber = Math.max(lastWishNumber, numberIn(wish.id(), "w-"));
        }
    }

    /**
     * Loads a claim read back from the store, in any order. Returns false (and ignores it) when
     * its wish is unknown or its id is not one the book makes. Call {@link #recovered()} after
     * the last one.
     */
    public boolean restore(Claim claim) {
        WishState wish = wishes.get(claim.wishId());
        long number = claimNumber(claim.id());
        if (wish == null || number == 0) {
            return false;
        }
        if (claims.exists(number)) {
            return true; // already restored: the first state given wins
        }
        CampaignState campaign = wish.campaign;
        tick(Math.max(claim.claimedAt(), Math.max(claim.fulfilledAt(), Math.max(claim.confirmedAt(),
                Math.max(claim.cancelledAt(), claim.expiredAt())))));
        UserState user = users.get(claim.userId());
        if (user == null) {
            user = newUser(claim.userId());
        }
        if (claim.status().isActive()) {
            wish.remaining--;
            user.hold(number, wish);
        }
        claims.restore(number, wish.index, user.index, claim);
        user.history.add(number);
        campaign.claimNumbers.add(number);
        if (claim.status() == ClaimStatus.CLAIMED) {
            campaign.pendingExpiry.addLast(number);
        }
        count(campaign, null, claim.status(), claim.rating());
        lastClaimNumber = Math.max(lastClaimNumber, number);
        return true;
    }

    /**
     * Loads a fair-start entry read back from the store, in any order; the first state given for
     * an entry wins, as for claims (give the newest first). Returns false (and ignores it) when
     * its campaign is unknown or has no fair start, or its id is not one the book makes. Call
     * {@link #recovered()} after the last one: a campaign with a settled entry counts as drawn.
     */
    public boolean restore(Entry entry) {
        CampaignState campaign = campaigns.get(entry.campaignId());
        long arrival = Entry.arrivalOf(entry.id());
        if (campaign == null || !campaign.fairStart || arrival == 0 || arrival > Integer.MAX_VALUE
                || !wishes.containsKey(entry.wishId()) || wishes.get(entry.wishId()).campaign != campaign) {
            return false;
        }
        int index = (int) arrival - 1;
        while (campaign.entries.size() <= index) {
            campaign.entries.add(null);
        }
        if (campaign.entries.get(index) != null) {
            return true;
        }
        UserState user = users.get(entry.userId());
        if (user == null) {
            user = newUser(entry.userId());
        }
        campaign.entries.set(index, entry);
        user.entryKeys.add(entryKey(campaign, index));
        tick(Math.max(entry.enteredAt(), entry.settledAt()));
        return true;
    }

    /**
     * Puts restored campaigns and claims back in the order they were made, which expiry and
     * listings rely on, and sums the statistics of every subtree of the organiser tree again.
     *
     * @throws IllegalStateException when a restored org's parent was never restored (a damaged store)
     */
    public void recovered() {
        tree.recovered();
        relist();
        for (CampaignState campaign : campaigns.values()) {
            recovered(campaign);
        }
        for (UserState user : users.values()) {
            user.history.sort(byClaimTime);
            user.entryKeys.sort(Long::compare);
        }
    }

    /**
     * Takes a campaign over at run time (a cluster node adopting it from the store): replaces
     * whatever the book holds of it ({@link #drop}) with the campaign and its claims, restored as
     * recovery restores them, in the campaign's place by creation in listings. In block numbering
     * the campaign goes on numbering after its highest claim number while that number's block has
     * room, and otherwise asks for a block. Announces nothing: nothing changed in the store.
     *
     * @throws IllegalArgumentException when an id is missing, a wish id belongs to another
     *                                  campaign of the book, or a claim is not one of this campaign
     *                                  (another campaign's wish or number, or an id the book does
     *                                  not make); the book is then unchanged
     */
    public void adopt(Campaign campaign, List<Claim> campaignClaims) {
        adopt(campaign, campaignClaims, List.of());
    }

    /**
     * Takes a campaign over with its claims and its fair-start entries (each in its latest
     * state), as {@link #adopt(Campaign, List)} does; an entry of another campaign is refused like
     * a foreign claim.
     */
    public void adopt(Campaign campaign, List<Claim> campaignClaims, List<Entry> campaignEntries) {
        requireIds(campaign);
        for (Entry entry : campaignEntries) {
            if (campaign.fairStart() == null || !campaign.id().equals(entry.campaignId())
                    || Entry.arrivalOf(entry.id()) == 0) {
                throw new IllegalArgumentException("entry " + entry.id() + " is not one of campaign " + campaign.id());
            }
        }
        String campaignId = campaign.id();
        Set<String> wishIds = new HashSet<>();
        for (WishSpec wish : campaign.wishes()) {
            WishState held = wishes.get(wish.id());
            if (held != null && !held.campaign.campaign.id().equals(campaignId)) {
                throw new IllegalArgumentException("wish " + wish.id() + " belongs to campaign "
                        + held.campaign.campaign.id() + ", not " + campaignId);
            }
            wishIds.add(wish.id());
        }
        for (Claim claim : campaignClaims) {
            long number = claimNumber(claim.id());
            if (number == 0 || !campaignId.equals(claim.campaignId()) || !wishIds.contains(claim.wishId())
                    || (claims.exists(number) && !campaignOf(number).campaign.id().equals(campaignId))) {
                throw new IllegalArgumentException("claim " + claim.id() + " on wish " + claim.wishId()
                        + " is not one of campaign " + campaignId);
            }
        }
        drop(campaignId);
        restore(campaign);
        for (Claim claim : campaignClaims) {
            restore(claim);
        }
        for (Entry entry : campaignEntries) {
            restore(entry);
        }
        CampaignState state = campaigns.get(campaignId);
        relist();
        recovered(state);
        Set<UserState> claimers = new HashSet<>();
        for (int i = 0; i < state.claimNumbers.size(); i++) {
            claimers.add(usersByIndex.get(claims.user(state.claimNumbers.get(i))));
        }
        for (UserState user : claimers) {
            user.history.sort(byClaimTime);
        }
        for (int i = 0; state.entries != null && i < state.entries.size(); i++) {
            users.get(state.entries.get(i).userId()).entryKeys.sort(Long::compare);
        }
    }

    /**
     * Forgets a campaign, its wishes and claims, as if the book had never held it (a cluster node
     * handing it to another): its listing positions, its share of the totals, the claims its users
     * hold and made, its claim numbers (a {@code cl-N} of it is then not found) and blocks. Other
     * campaigns' wishes move up in listings. Announces nothing. Returns whether the book held it.
     */
    public boolean drop(String campaignId) {
        CampaignState campaign = campaigns.remove(campaignId);
        if (campaign == null) {
            return false;
        }
        Set<UserState> claimers = new HashSet<>();
        LongList numbers = campaign.claimNumbers;
        for (int i = 0; i < numbers.size(); i++) {
            claimers.add(usersByIndex.get(claims.user(numbers.get(i))));
        }
        if (campaign.entries != null) {
            for (Entry entry : campaign.entries) {
                UserState entrant = entry == null ? null : users.get(entry.userId());
                if (entrant != null) {
                    claimers.add(entrant);
                }
            }
        }
        for (UserState user : claimers) {
            user.forget(campaign.index);
            user.history.removeIf(number -> campaignOf(number) == campaign);
            user.entryKeys.removeIf(key -> (int) (key >>> 32) == campaign.index);
            if (user.history.size() == 0 && user.entryKeys.size() == 0) {
                users.remove(user.id);
                usersByIndex.set(user.index, null);
                user.free();
            }
        }
        campaignsByIndex.set(campaign.index, null);
        undrawn.remove(campaign);
        for (int i = 0; i < numbers.size(); i++) {
            claims.clear(numbers.get(i));
        }
        for (WishState wish : campaign.wishes) {
            wishes.remove(wish.spec.id());
            wishesByIndex.set(wish.index, null);
        }
        int count = campaign.wishes.size();
        listing.subList(campaign.firstPosition, campaign.firstPosition + count).clear();
        for (CampaignState later : campaigns.values()) {
            if (later.firstPosition > campaign.firstPosition) {
                later.firstPosition -= count;
            }
        }
        totals.remove(campaign.counters);
        if (campaign.org != null) {
            tree.detach(campaign.org, campaign.counters);
        }
        return true;
    }

    /**
     * Gives a campaign another block of claim numbers (block numbering only), used once those it
     * holds are. False when the book does not hold the campaign (dropped meanwhile). A block it
     * holds already is not held twice.
     */
    public boolean grantBlock(String campaignId, long block) {
        if (wanted == null) {
            throw new IllegalStateException("this book numbers claims from one counter, not in blocks");
        }
        if (block < 1 || block > ClaimBlocks.MAX_BLOCK) {
            throw new IllegalArgumentException("no claim number block " + block);
        }
        CampaignState campaign = campaigns.get(campaignId);
        if (campaign == null) {
            return false;
        }
        boolean current = campaign.blockEnd != campaign.nextNumber
                && ClaimBlocks.blockOf(campaign.blockEnd - 1) == block;
        if (!current && !campaign.queuedBlocks.contains(block)) {
            campaign.queuedBlocks.addLast(block);
        }
        campaign.wanting = false;
        wantIfLow(campaign);
        return true;
    }

    // ---------------------------------------------------------------- the organiser tree

    /**
     * Adds an org under {@code parent} (null: a root) for an organiser of {@code scope}, who may
     * add orgs only under its own org or below it (a root is the administrator's alone);
     * otherwise as {@link OrgTree#add}.
     */
    public OrgChange createOrg(String id, String name, String parent, String scope) {
        if (scope != null && (parent == null || !tree.isWithin(parent, scope))) {
            return OrgChange.refused(OrgResult.FORBIDDEN, null, parent);
        }
        return tree.add(id, name, parent);
    }

    /** Renames an org strictly below the scope's own (any org for the administrator); see {@link OrgTree#rename}. */
    public OrgChange renameOrg(String id, String name, String scope) {
        return below(id, scope) ? tree.rename(id, name) : OrgChange.refused(OrgResult.FORBIDDEN, null, id);
    }

    /** Retires an org strictly below the scope's own (any org for the administrator); see {@link OrgTree#retire}. */
    public OrgChange retireOrg(String id, String scope) {
        return retireOrg(id, scope, Set.of());
    }

    /**
     * As {@link #retireOrg(String, String)}, where {@code openElsewhere} names orgs with an open
     * campaign the book does not hold (on a cluster's other nodes); see {@link OrgTree#retire(String, Set)}.
     */
    public OrgChange retireOrg(String id, String scope, Set<String> openElsewhere) {
        return below(id, scope) ? tree.retire(id, openElsewhere) : OrgChange.refused(OrgResult.FORBIDDEN, null, id);
    }

    /** Loads many orgs in one edit, all or nothing ({@link OrgTree#load}): the administrator's alone. */
    public OrgChange loadOrgs(List<Org> orgs, String scope) {
        return loadOrgs(orgs, scope, Set.of());
    }

    /** As {@link #loadOrgs(List, String)}, with the orgs that have an open campaign elsewhere. */
    public OrgChange loadOrgs(List<Org> orgs, String scope, Set<String> openElsewhere) {
        return scope == null ? tree.load(orgs, openElsewhere) : OrgChange.refused(OrgResult.FORBIDDEN, null, scope);
    }

    /**
     * Applies tree changes another node decided and committed to the cluster's registry
     * ({@link OrgTree#mirror}); the campaigns of a moved org take their statistics along.
     * Announces nothing: nothing changed in the store.
     */
    public List<Org> mirrorOrgs(List<Org> orgs) {
        return tree.mirror(orgs);
    }

    /** An organiser edits orgs below its own, never its own (nor its place in the tree). */
    private boolean below(String id, String scope) {
        return scope == null || (!id.equals(scope) && tree.isWithin(id, scope));
    }

    /** The org with this id, or null. */
    public Org org(String id) {
        return tree.get(id);
    }

    /** The org of the campaign with this id: null for a campaign of no org, or no such campaign. */
    public String campaignOrg(String campaignId) {
        CampaignState campaign = campaigns.get(campaignId);
        return campaign == null ? null : campaign.campaign.org();
    }

    /**
     * The ids of the orgs whose audit records an organiser of {@code scope} reads for
     * {@code orgId} (null: the scope's own org): that org's subtree; {@code FORBIDDEN} for an org
     * outside a scope or unknown to it, {@code NOT_FOUND} for an org unknown to the administrator.
     * For the administrator without an org, {@code FOUND} with null: every record. O(subtree).
     */
    public ScopedRead<java.util.Set<String>> auditScope(String orgId, String scope) {
        String asked = orgId == null ? scope : orgId;
        if (asked == null) {
            return new ScopedRead<>(Result.FOUND, null);
        }
        if (!tree.isWithin(asked, scope)) {
            return ScopedRead.forbidden();
        }
        List<Org> subtree = tree.subtree(asked);
        if (subtree == null) {
            return ScopedRead.of(null);
        }
        java.util.Set<String> ids = new java.util.HashSet<>(subtree.size() * 2);
        for (Org org : subtree) {
            ids.add(org.id());
        }
        return ScopedRead.of(ids);
    }

    /**
     * The orgs an organiser of {@code scope} sees: its own and every org below it (every org for
     * the administrator), each after its parent; {@code FORBIDDEN} for a scope the tree does not hold.
     */
    public ScopedRead<List<Org>> orgs(String scope) {
        List<Org> orgs = tree.subtree(scope);
        return orgs == null ? ScopedRead.forbidden() : ScopedRead.of(orgs);
    }

    /** The orgs from the root down to {@code org}; empty for an unknown org. */
    public List<Org> orgPath(String org) {
        return tree.path(org);
    }

    /**
     * The statistics of an org's subtree with one row per child org, or null for an unknown org;
     * for {@code orgId} null, the whole district: the totals of every campaign (those of no org
     * too) and one row per root. O(children).
     */
    public SubtreeStats orgStats(String orgId) {
        return orgId == null ? new SubtreeStats(null, stats(), tree.rootRows()) : tree.stats(orgId);
    }

    /**
     * {@link #orgStats(String)} for an organiser of {@code scope}: {@code orgId} null means the
     * scope's own org; {@code FORBIDDEN} for an org outside the scope (an unknown one too, so that
     * a scope learns nothing of orgs outside it).
     */
    public ScopedRead<SubtreeStats> orgStats(String orgId, String scope) {
        String asked = orgId == null ? scope : orgId;
        if (scope != null && !tree.isWithin(asked, scope)) {
            return ScopedRead.forbidden();
        }
        return ScopedRead.of(orgStats(asked));
    }

    // ---------------------------------------------------------------- reads

    /** The claim with this id, or null. */
    public Claim claim(String claimId) {
        long number = claimNumber(claimId);
        return claims.exists(number) ? read(number) : null;
    }

    /**
     * A claim as {@code actor} may see it: {@code FOUND} with the claim, {@code NOT_FOUND}, or
     * {@code FORBIDDEN} when a user ({@code actor != null}) asks for someone else's claim.
     */
    public Outcome readClaim(String claimId, String actor) {
        return readClaim(claimId, actor, null);
    }

    /** A claim as {@link #readClaim(String, String)} reads it; an organiser of {@code scope} sees only claims within it. */
    public Outcome readClaim(String claimId, String actor, String scope) {
        long number = claimNumber(claimId);
        Outcome denied = denied(number, actor, scope);
        return denied != null ? denied : Outcome.found(read(number));
    }

    /** Units of the wish nobody holds, or -1 for an unknown wish. */
    public int remaining(String wishId) {
        WishState wish = wishes.get(wishId);
        return wish == null ? -1 : wish.remaining;
    }

    public WishView wish(String wishId) {
        WishState wish = wishes.get(wishId);
        return wish == null ? null : wish.view();
    }

    /** Every wish the filter matches, in listing order; unbounded, so the API uses {@link #wishes(WishFilter, int, int)}. */
    public List<WishView> wishes(WishFilter filter) {
        return wishes(filter, 0, Integer.MAX_VALUE).wishes();
    }

    /**
     * Up to {@code limit} (at least 1) wishes the filter matches, from listing position
     * {@code cursor} on (see {@link WishPage}), or null when the cursor is not a position of this
     * book: negative, or past its last wish (0, the start, is always valid).
     *
     * <p>Costs the page, not the book: the scan starts at the cursor (or at the first wish of the
     * filtered campaign), ends at that campaign's last wish, and stops at the first match past the
     * page, which becomes the next cursor. Only a sparse filter (category, location, available,
     * org) scans past non-matching wishes; testing one is a few string compares (and a walk up
     * the campaign's org chain) and builds nothing.
     */
    public WishPage wishes(WishFilter filter, int cursor, int limit) {
        if (cursor < 0 || (cursor > 0 && cursor >= listing.size())) {
            return null;
        }
        int from = cursor;
        int to = listing.size();
        if (filter.campaignId() != null) {
            CampaignState campaign = campaigns.get(filter.campaignId());
            if (campaign == null) {
                return new WishPage(List.of(), -1);
            }
            from = Math.max(from, campaign.firstPosition);
            to = Math.min(to, campaign.firstPosition + campaign.wishes.size());
        }
        List<WishView> page = new ArrayList<>(Math.min(limit, Math.max(0, to - from)));
        for (int position = from; position < to; position++) {
            WishState wish = listing.get(position);
            if (filter.matches(wish.spec, wish.campaign.campaign.id(), wish.remaining)
                    && (filter.org() == null || OrgTree.covers(wish.campaign.org, filter.org()))) {
                if (page.size() == limit) {
                    return new WishPage(page, position);
                }
                page.add(wish.view());
            }
        }
        return new WishPage(page, -1);
    }

    /**
     * One page of wishes from {@code from} on, each with its {@link ListingKey}: this book's part
     * of a listing combined over a cluster's nodes.
     */
    public WishPage wishesFrom(WishFilter filter, ListingKey from, int limit) {
        int low = 0;
        int high = listing.size();
        while (low < high) { // the first position whose key is at or after from
            int middle = (low + high) >>> 1;
            if (key(middle).compareTo(from) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        WishPage page = wishes(filter, low, limit);
        if (page == null) { // from lies past the last wish: nothing of this book follows
            return new WishPage(List.of(), -1, List.of(), null);
        }
        List<ListingKey> keys = new ArrayList<>(page.wishes().size());
        int position = low;
        for (WishView wish : page.wishes()) {
            while (listing.get(position).spec != wish.spec()) {
                position++;
            }
            keys.add(key(position++));
        }
        return new WishPage(page.wishes(), -1, keys, page.next() < 0 ? null : key(page.next()));
    }

    private ListingKey key(int position) {
        WishState wish = listing.get(position);
        CampaignState campaign = wish.campaign;
        return new ListingKey(campaign.campaign.createdAt(), campaign.campaign.id(), position - campaign.firstPosition);
    }

    public CampaignView campaign(String campaignId) {
        CampaignState campaign = campaigns.get(campaignId);
        return campaign == null ? null : campaign.view();
    }

    public List<CampaignView> campaigns() {
        List<CampaignView> views = new ArrayList<>(campaigns.size());
        for (CampaignState campaign : campaigns.values()) {
            views.add(campaign.view());
        }
        return views;
    }

    /** The user's fair-start entries in the order they were made, each as it stands now. */
    public List<Entry> entriesOf(String userId) {
        UserState user = users.get(userId);
        if (user == null || user.entryKeys.size() == 0) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>(user.entryKeys.size());
        for (int i = 0; i < user.entryKeys.size(); i++) {
            long key = user.entryKeys.get(i);
            entries.add(campaignsByIndex.get((int) (key >>> 32)).entries.get((int) key));
        }
        entries.sort(Comparator.comparingLong(Entry::enteredAt));
        return entries;
    }

    /** The campaign's fair-start entries in arrival order, each as it stands now (empty for a plain campaign). */
    public List<Entry> entriesOfCampaign(String campaignId) {
        CampaignState campaign = campaigns.get(campaignId);
        return campaign == null || campaign.entries == null ? List.of() : List.copyOf(campaign.entries);
    }

    /** The campaign's fair-start draw as it stands, or null for an unknown campaign. */
    public DrawView draw(String campaignId) {
        CampaignState campaign = campaigns.get(campaignId);
        if (campaign == null) {
            return null;
        }
        return new DrawView(campaign.campaign, campaign.entries == null ? 0 : campaign.entries.size(),
                campaign.drawnAt, campaign.draw);
    }

    /** The user's claims in the order they were made (all statuses). */
    public List<Claim> claimsOf(String userId) {
        UserState user = users.get(userId);
        return user == null ? List.of() : resolve(user.history);
    }

    /** The campaign's claims in the order they were made, or null for an unknown campaign. */
    public List<Claim> claimsOfCampaign(String campaignId) {
        CampaignState campaign = campaigns.get(campaignId);
        return campaign == null ? null : resolve(campaign.claimNumbers);
    }

    /**
     * The campaign's claims for an organiser of {@code scope}: {@code FOUND}, {@code NOT_FOUND},
     * or {@code FORBIDDEN} when the campaign lies outside the scope.
     */
    public ScopedRead<List<Claim>> claimsOfCampaign(String campaignId, String scope) {
        CampaignState campaign = campaigns.get(campaignId);
        if (campaign != null && !within(campaign, scope)) {
            return ScopedRead.forbidden();
        }
        return ScopedRead.of(campaign == null ? null : resolve(campaign.claimNumbers));
    }

    /**
     * Totals of one campaign for an organiser of {@code scope} ({@code FORBIDDEN} outside it), or
     * with {@code campaignId} null, the totals of the scope's whole subtree (of every campaign for
     * the district administrator; {@code FORBIDDEN} for a scope the tree does not hold).
     */
    public ScopedRead<Stats> stats(String campaignId, String scope) {
        if (campaignId == null) {
            if (scope == null) {
                return ScopedRead.of(stats());
            }
            SubtreeStats subtree = tree.stats(scope);
            return subtree == null ? ScopedRead.forbidden() : ScopedRead.of(subtree.totals());
        }
        CampaignState campaign = campaigns.get(campaignId);
        if (campaign != null && !within(campaign, scope)) {
            return ScopedRead.forbidden();
        }
        return ScopedRead.of(stats(campaignId));
    }

    /** Totals over every campaign. */
    public Stats stats() {
        return totals.snapshot(campaigns.size(), wishes.size());
    }

    /** Totals of one campaign, or null when unknown. */
    public Stats stats(String campaignId) {
        CampaignState campaign = campaigns.get(campaignId);
        return campaign == null ? null : campaign.counters.snapshot(1, campaign.wishes.size());
    }

    /** Active claims the user holds in the campaign. */
    public int activeClaims(String campaignId, String userId) {
        UserState user = users.get(userId);
        CampaignState campaign = campaigns.get(campaignId);
        return user == null || campaign == null ? 0 : user.heldIn(campaign.index);
    }

    // ---------------------------------------------------------------- internals

    private long tick(long now) {
        if (now > clock) {
            clock = now;
        }
        return clock;
    }

    private CampaignState add(Campaign campaign) {
        CampaignState state = new CampaignState(campaign, nextCampaignIndex++, wanted != null);
        campaigns.put(campaign.id(), state);
        campaignsByIndex.add(state);
        if (state.fairStart) {
            undrawn.add(state);
        }
        // Creation times only grow, so a new campaign's wishes go at the end of the listing.
        state.firstPosition = listing.size();
        for (WishSpec spec : campaign.wishes()) {
            WishState wish = new WishState(spec, state, wishesByIndex.size());
            wishesByIndex.add(wish);
            state.wishes.add(wish);
            listing.add(wish);
            wishes.put(spec.id(), wish);
        }
        state.counters.addCampaign(campaign.units(), campaign.wishes().size());
        totals.addCampaign(campaign.units(), campaign.wishes().size());
        state.org = campaign.org() == null ? null : tree.attach(campaign.org(), state.counters);
        return state;
    }

    /** Lists campaigns, and their wishes, in the order they were created. */
    private void relist() {
        List<CampaignState> byCreation = new ArrayList<>(campaigns.values());
        // Campaigns created in the same millisecond tie on createdAt; their numbers or ids break it.
        byCreation.sort(Comparator.comparing((CampaignState c) -> new ListingKey(c.campaign.createdAt(),
                c.campaign.id(), 0)));
        campaigns.clear();
        listing.clear();
        for (CampaignState campaign : byCreation) {
            campaigns.put(campaign.campaign.id(), campaign);
            campaign.firstPosition = listing.size();
            listing.addAll(campaign.wishes);
        }
    }

    /**
     * One restored campaign made whole: its claims and expiry queue in the order they were made,
     * and, in block numbering, where its next claim number comes from.
     */
    private void recovered(CampaignState campaign) {
        campaign.claimNumbers.sort(byClaimTime);
        LongList pending = new LongList();
        while (!campaign.pendingExpiry.isEmpty()) {
            pending.add(campaign.pendingExpiry.pollFirst());
        }
        pending.sort(byClaimTime);
        for (int i = 0; i < pending.size(); i++) {
            campaign.pendingExpiry.addLast(pending.get(i));
        }
        if (campaign.fairStart) {
            recoveredDraw(campaign);
        }
        if (wanted != null) {
            long highest = 0;
            for (int i = 0; i < campaign.claimNumbers.size(); i++) {
                highest = Math.max(highest, campaign.claimNumbers.get(i));
            }
            long next = highest + 1;
            boolean roomLeft = highest != 0 && ClaimBlocks.blockOf(next) == ClaimBlocks.blockOf(highest);
            campaign.nextNumber = roomLeft ? next : 0;
            campaign.blockEnd = roomLeft ? ClaimBlocks.first(ClaimBlocks.blockOf(highest) + 1) : 0;
            wantIfLow(campaign);
        }
    }

    /**
     * A restored fair-start campaign: drawn when any entry is settled (a draw settles all of its
     * entries in one commit), and then its {@link Draw} is computed again from the committed seed
     * and entries, for its audit; the entries keep the outcomes that were committed and announced.
     * A campaign nobody entered counts as drawn (at drawAt) once it holds a claim; without one its
     * draw runs again when due, to the same result.
     */
    private void recoveredDraw(CampaignState campaign) {
        long drawnAt = 0;
        for (int i = 0; i < campaign.entries.size(); i++) {
            Entry entry = campaign.entries.get(i);
            if (entry == null) {
                // Entries are committed in the order they are made, so a gap is damage, not a race.
                throw new IllegalStateException("campaign " + campaign.campaign.id() + " has no entry "
                        + Entry.idOf(i + 1L) + " but has later ones");
            }
            drawnAt = Math.max(drawnAt, entry.settledAt());
        }
        if (campaign.entries.isEmpty() && campaign.claimNumbers.size() > 0) {
            // Nobody entered, and claims are made only once the draw has run: it ran, at drawAt.
            drawnAt = campaign.drawAt;
        }
        if (drawnAt == 0 || campaign.drawnAt != 0) {
            return;
        }
        // Nothing is claimed before a draw, so it started with every unit and no claim held.
        Map<String, Integer> units = new HashMap<>();
        for (WishState wish : campaign.wishes) {
            units.put(wish.spec.id(), wish.spec.quantity());
        }
        campaign.draw = Draw.run(campaign.campaign.fairStart().seed(), drawEntries(campaign), units,
                campaign.campaign.perUserLimit(), List.of());
        campaign.drawnAt = drawnAt;
        campaign.entriesClosed = true;
        undrawn.remove(campaign);
    }

    /** Claim numbers the campaign holds and has not used (block numbering). */
    private static long numbersLeft(CampaignState campaign) {
        return campaign.blockEnd - campaign.nextNumber + (long) campaign.queuedBlocks.size() * ClaimBlocks.SIZE;
    }

    /**
     * The campaign's next claim number from its blocks, or 0 when they are used up: a few field
     * reads; the next block's start when the current one is done.
     */
    private long numberFromBlocks(CampaignState campaign) {
        if (campaign.nextNumber == campaign.blockEnd) {
            if (campaign.queuedBlocks.isEmpty()) {
                return 0;
            }
            campaign.nextNumber = ClaimBlocks.first(campaign.queuedBlocks.pollFirst());
            campaign.blockEnd = campaign.nextNumber + ClaimBlocks.SIZE;
        }
        long number = campaign.nextNumber++;
        wantIfLow(campaign);
        return number;
    }

    /** Asks for a block when fewer than half a block of numbers is left, unless one was asked for since the last grant. */
    private void wantIfLow(CampaignState campaign) {
        // A waiting draw needs numbers for all its winners at once: ask again after every grant until it has them.
        if (!campaign.wanting && numbersLeft(campaign) < ClaimBlocks.SIZE / 2 + campaign.numbersNeeded) {
            campaign.wanting = true;
            wanted.want(campaign.campaign.id());
        }
    }

    private static void requireIds(Campaign campaign) {
        if (campaign.id() == null) {
            throw new IllegalArgumentException("a campaign without an id (the cluster's registry assigns it)");
        }
        for (WishSpec wish : campaign.wishes()) {
            if (wish.id() == null) {
                throw new IllegalArgumentException("a wish without an id in campaign " + campaign.id());
            }
        }
    }

    /** The campaign of the claim with this number (which must exist). */
    private CampaignState campaignOf(long number) {
        return wishesByIndex.get(claims.wish(number)).campaign;
    }

    private UserState newUser(String userId) {
        // The first id string seen for the user is the one every claim of theirs will carry.
        UserState user = new UserState(userId, usersByIndex.size(), userLists);
        usersByIndex.add(user);
        users.put(userId, user);
        return user;
    }

    /** The claim with this number (which must exist) as a record. */
    private Claim read(long number) {
        WishState wish = wishesByIndex.get(claims.wish(number));
        return claims.read(number, CLAIM_PREFIX + number, wish.spec.id(), wish.campaign.campaign.id(),
                usersByIndex.get(claims.user(number)).id);
    }

    /** Why {@code actor} (or an organiser of {@code scope}) may not move the claim on from {@code required}, or null when it may. */
    private Outcome refuse(long number, String actor, String scope, ClaimStatus required) {
        Outcome denied = denied(number, actor, scope);
        if (denied != null) {
            return denied;
        }
        if (claims.status(number) != required) {
            return new Outcome(Result.INVALID_STATE, read(number), null, null);
        }
        return null;
    }

    /**
     * {@code NOT_FOUND} when no claim has this number, {@code FORBIDDEN} when a user
     * ({@code actor != null}) is not its claimer or an organiser's {@code scope} does not cover
     * its campaign, else null.
     */
    private Outcome denied(long number, String actor, String scope) {
        if (!claims.exists(number)) {
            return Outcome.NOT_FOUND;
        }
        if (actor != null) {
            if (!actor.equals(usersByIndex.get(claims.user(number)).id)) {
                return Outcome.FORBIDDEN;
            }
        } else if (!within(campaignOf(number), scope)) {
            return Outcome.OUT_OF_SCOPE;
        }
        return null;
    }

    /** Whether an organiser of {@code scope} (null: the district administrator) reaches the campaign. O(depth). */
    private static boolean within(CampaignState campaign, String scope) {
        return scope == null || (campaign.org != null && OrgTree.covers(campaign.org, scope));
    }

    /** The decision on a transition, announced with the units of the claim's wish left after it. */
    private Outcome updated(long number, Claim after) {
        return Outcome.changed(Result.UPDATED, after, wishesByIndex.get(claims.wish(number)).remaining);
    }

    /** A transition that keeps the unit held (fulfil, confirm). */
    private Claim advance(long number, ClaimStatus to, long at) {
        ClaimStatus from = claims.status(number);
        claims.transition(number, to, at);
        Claim after = read(number);
        count(wishesByIndex.get(claims.wish(number)).campaign, from, to, after.rating());
        return after;
    }

    /** A transition that gives the unit back (cancel, expire). */
    private Claim release(long number, ClaimStatus to, long at) {
        WishState wish = wishesByIndex.get(claims.wish(number));
        wish.remaining++;
        usersByIndex.get(claims.user(number)).release(number);
        ClaimStatus from = claims.status(number);
        claims.transition(number, to, at);
        count(wish.campaign, from, to, 0);
        return read(number);
    }

    private void count(CampaignState campaign, ClaimStatus before, ClaimStatus after, int rating) {
        campaign.counters.move(before, after, rating);
        totals.move(before, after, rating);
        if (campaign.org != null) {
            tree.move(campaign.org, before, after, rating);
        }
    }

    private List<Claim> resolve(LongList numbers) {
        List<Claim> resolved = new ArrayList<>(numbers.size());
        for (int i = 0; i < numbers.size(); i++) {
            resolved.add(read(numbers.get(i)));
        }
        return resolved;
    }

    /**
     * The number a claim id names, or 0 when it names none. Only the canonical spelling the book
     * makes, {@code cl-} and the number without leading zeros, names a claim: {@code cl-01} is
     * not {@code cl-1}, so a claim has exactly one id.
     */
    static long claimNumber(String claimId) {
        long number = numberIn(claimId, CLAIM_PREFIX);
        return number != 0 && claimId.charAt(CLAIM_PREFIX.length()) != '0' ? number : 0;
    }

    /** The number after {@code prefix}, up to 9 digits, leading zeros allowed; else 0. */
    static long numberIn(String id, String prefix) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length() || id.length() > prefix.length() + 9) {
            return 0;
        }
        long number = 0;
        for (int i = prefix.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    private static final class CampaignState {
        final Campaign campaign;
        final int index;
        final List<WishState> wishes = new ArrayList<>();
        final LongList claimNumbers = new LongList();
        final LongQueue pendingExpiry = new LongQueue();
        final Counters counters = new Counters();
        /**
         * The org whose counts (and its ancestors') this campaign's move with it; null for a
         * campaign of the whole district, or one restored with an org the tree does not hold.
         */
        OrgTree.Node org;
        /** Listing position of the campaign's first wish; its wishes follow it contiguously. */
        int firstPosition;
        /** Block numbering: the next claim number, and the end of its block; equal when the block is used up. */
        long nextNumber;
        long blockEnd;
        /** Block numbering: blocks granted and not yet begun, in the order granted; null otherwise. */
        final LongQueue queuedBlocks;
        /** Block numbering: a block was asked for and has not come yet. */
        boolean wanting;
        /** Block numbering: claim numbers a draw waits for (its winners), 0 when none waits. */
        long numbersNeeded;
        /** Fair start: the campaign has one, its draw's time, and its entries by arrival (null without one). */
        final boolean fairStart;
        final long drawAt;
        final List<Entry> entries;
        /** Fair start: no entry is taken any more (the draw ran, or tried to and waits for numbers). */
        boolean entriesClosed;
        /** Fair start: when the draw ran (0 before), and the draw, for its audit. */
        long drawnAt;
        Draw draw;

        CampaignState(Campaign campaign, int index, boolean inBlocks) {
            this.campaign = campaign;
            this.index = index;
            this.queuedBlocks = inBlocks ? new LongQueue() : null;
            this.fairStart = campaign.fairStart() != null;
            this.drawAt = campaign.drawAt();
            this.entries = fairStart ? new ArrayList<>() : null;
        }

        long remaining() {
            long left = 0;
            for (WishState wish : wishes) {
                left += wish.remaining;
            }
            return left;
        }

        CampaignView view() {
            List<WishView> views = new ArrayList<>(wishes.size());
            long remaining = 0;
            for (WishState wish : wishes) {
                views.add(wish.view());
                remaining += wish.remaining;
            }
            return new CampaignView(campaign, List.copyOf(views), remaining, drawnAt);
        }
    }

    private static final class WishState {
        final WishSpec spec;
        final CampaignState campaign;
        final int index;
        int remaining;

        WishState(WishSpec spec, CampaignState campaign, int index) {
            this.spec = spec;
            this.campaign = campaign;
            this.index = index;
            this.remaining = spec.quantity();
        }

        WishView view() {
            return new WishView(spec, campaign.campaign.id(), remaining, campaign.campaign.opensAt());
        }
    }

    /**
     * One user: the numbers of the claims they hold now (a few), with the wish and campaign of
     * each side by side so that scans compare integers only, and every claim they made.
     */
    private static final class UserState {
        final String id;
        final int index;
        /** The claims held (open), by number; {@link #held} has their campaign and wish at the same index. */
        final LongList active;
        /** Of each claim held: campaign index in the high half, wish index in the low half. */
        final LongList held;
        final LongList history;
        /** Fair-start entries made: campaign index in the high half, entry index in the low half. */
        final LongList entryKeys;

        UserState(String id, int index, LongArena arena) {
            this.id = id;
            this.index = index;
            this.active = new LongList(arena);
            this.held = new LongList(arena);
            this.history = new LongList(arena);
            this.entryKeys = new LongList(arena);
        }

        /** What {@link #held} keeps of a claim on this wish. */
        static long heldKey(WishState wish) {
            return (long) wish.campaign.index << 32 | (wish.index & 0xFFFFFFFFL);
        }

        /** The campaign index in a {@link #held} value. */
        static int campaignOf(long held) {
            return (int) (held >>> 32);
        }

        /** Claims held in the campaign with this index. */
        int heldIn(int campaignIndex) {
            int count = 0;
            for (int i = 0; i < held.size(); i++) {
                if (campaignOf(held.get(i)) == campaignIndex) {
                    count++;
                }
            }
            return count;
        }

        void hold(long number, WishState wish) {
            active.add(number);
            held.add(heldKey(wish));
        }

        /** Lets go of every claim held in the campaign with this index. */
        void forget(int campaignIndex) {
            for (int i = active.size() - 1; i >= 0; i--) {
                if (campaignOf(held.get(i)) == campaignIndex) {
                    active.removeSwap(i);
                    held.removeSwap(i);
                }
            }
        }

        void release(long number) {
            for (int i = 0; i < active.size(); i++) {
                if (active.get(i) == number) {
                    active.removeSwap(i);
                    held.removeSwap(i);
                    return;
                }
            }
        }

        /** Gives the lists' room back to the arena; the user is leaving the book. */
        void free() {
            active.free();
            held.free();
            history.free();
            entryKeys.free();
        }
    }
}
