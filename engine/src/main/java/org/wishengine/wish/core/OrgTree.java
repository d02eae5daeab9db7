package org.wishengine.wish.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The organiser tree (district → town → community → service point, any depth): who sits under
 * whom, which is what an organiser's scope means, and the statistics of every subtree.
 *
 * <p>Owned by the {@link Book} and single-threaded like it. Rules: an id is taken for good (a
 * retired org keeps it); a parent must exist; a retired org gets no new child or campaign; an org
 * retires only once every child is retired and none of its campaigns is open (a unit nobody
 * holds, or a claim claimed or fulfilled); a loaded tree must leave no cycle. Every edit is
 * decided as a whole: a refusal changes nothing.
 *
 * <p>Each node keeps its parent, so an ancestor walk ({@link #isWithin}, and the statistics moved
 * on every claim transition) costs the depth, and the counts of its own campaigns beside those of
 * its whole subtree, so that a read of a subtree costs its children.
 */
public final class OrgTree {

    /** One org with its links and counts. */
    static final class Node {
        Org org;
        Node parent;
        final List<Node> children = new ArrayList<>();
        /** The campaigns of this org itself. */
        final Counters own = new Counters();
        /** The campaigns of this org and every descendant. */
        final Counters subtree = new Counters();

        Node(Org org) {
            this.org = org;
        }
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Node> roots = new ArrayList<>();
    /** Recovery: restored orgs whose parent has not been restored yet, by that parent's id. */
    private final Map<String, List<Node>> awaitingParent = new HashMap<>();

    // ---------------------------------------------------------------- edits

    /** Adds a live org under {@code parent} (null: a new root). */
    public OrgChange add(String id, String name, String parent) {
        Node taken = nodes.get(id);
        if (taken != null) {
            return OrgChange.refused(OrgResult.ALREADY_EXISTS, taken.org, id);
        }
        Org org = new Org(id, name, parent);
        Node above = null;
        if (parent != null) {
            above = nodes.get(parent);
            if (above == null) {
                return OrgChange.refused(OrgResult.UNKNOWN_PARENT, org, parent);
            }
            if (above.org.retired()) {
                return OrgChange.refused(OrgResult.RETIRED_PARENT, org, parent);
            }
        }
        Node node = new Node(org);
        nodes.put(id, node);
        link(node, above);
        return new OrgChange(OrgResult.CREATED, org, null, List.of(org));
    }

    /** Gives an org (live or retired) a new name. */
    public OrgChange rename(String id, String name) {
        Node node = nodes.get(id);
        if (node == null) {
            return OrgChange.refused(OrgResult.UNKNOWN_ORG, null, id);
        }
        if (node.org.name().equals(name)) {
            return new OrgChange(OrgResult.UPDATED, node.org, null, List.of());
        }
        node.org = node.org.renamed(name);
        return new OrgChange(OrgResult.UPDATED, node.org, null, List.of(node.org));
    }

    /**
     * Retires an org: it keeps its campaigns and claims (and its organisers keep their scope over
     * them) but gets no new campaign or child. Refused while a child is live or a campaign of its
     * own is open; a retired org's campaigns were closed when it retired, and stay closed.
     */
    public OrgChange retire(String id) {
        return retire(id, java.util.Set.of());
    }

    /**
     * As {@link #retire(String)}, where {@code openElsewhere} names orgs with an open campaign
     * this tree does not count (a cluster's other nodes hold it): those are refused alike.
     */
    public OrgChange retire(String id, java.util.Set<String> openElsewhere) {
        Node node = nodes.get(id);
        if (node == null) {
            return OrgChange.refused(OrgResult.UNKNOWN_ORG, null, id);
        }
        if (node.org.retired()) {
            return new OrgChange(OrgResult.UPDATED, node.org, null, List.of());
        }
        for (Node child : node.children) {
            if (!child.org.retired()) {
                return OrgChange.refused(OrgResult.HAS_CHILDREN, node.org, child.org.id());
            }
        }
        if (node.own.open() || openElsewhere.contains(id)) {
            return OrgChange.refused(OrgResult.HAS_OPEN_CAMPAIGNS, node.org, id);
        }
        node.org = node.org.retiredNow();
        return new OrgChange(OrgResult.UPDATED, node.org, null, List.of(node.org));
    }

    /**
     * Loads many orgs in one edit: each is added, or replaces the org of its id (new name, new
     * parent, retired or live again); orgs not named stay as they are. The tree that results is
     * checked as a whole, as the single edits check it, and the edit is applied all or nothing:
     * {@code ALREADY_EXISTS} for an id named twice, {@code UNKNOWN_PARENT}, {@code CYCLE},
     * {@code RETIRED_PARENT} for a live org under a retired one, and for an org retired by the
     * load {@code HAS_CHILDREN} or {@code HAS_OPEN_CAMPAIGNS}. A moved org takes its campaigns
     * and their statistics along.
     */
    public OrgChange load(List<Org> orgs) {
        return load(orgs, java.util.Set.of());
    }

    /** As {@link #load(List)}, with the orgs that have an open campaign elsewhere, as {@link #retire(String, java.util.Set)}. */
    public OrgChange load(List<Org> orgs, java.util.Set<String> openElsewhere) {
        Map<String, Org> named = new HashMap<>();
        for (Org org : orgs) {
            if (named.put(org.id(), org) != null) {
                return OrgChange.refused(OrgResult.ALREADY_EXISTS, org, org.id());
            }
        }
        Map<String, Org> proposed = new HashMap<>();
        for (Node node : nodes.values()) {
            proposed.put(node.org.id(), node.org);
        }
        proposed.putAll(named);
        for (Org org : orgs) {
            if (org.parent() != null && !proposed.containsKey(org.parent())) {
                return OrgChange.refused(OrgResult.UNKNOWN_PARENT, org, org.parent());
            }
        }
        // The tree held has no cycle, so every cycle runs through a loaded org: walking up from
        // each of them, at most once round the whole tree, finds each cycle at one of its own.
        for (Org org : orgs) {
            String at = org.parent();
            for (int steps = 0; at != null && steps <= proposed.size(); steps++) {
                if (at.equals(org.id())) {
                    return OrgChange.refused(OrgResult.CYCLE, org, org.id());
                }
                at = proposed.get(at).parent();
            }
        }
        Map<String, List<Org>> childrenOf = new HashMap<>();
        for (Org org : proposed.values()) {
            if (org.parent() != null) {
                childrenOf.computeIfAbsent(org.parent(), parent -> new ArrayList<>()).add(org);
            }
        }
        for (Org org : orgs) {
            if (!org.retired() && org.parent() != null && proposed.get(org.parent()).retired()) {
                return OrgChange.refused(OrgResult.RETIRED_PARENT, org, org.parent());
            }
        }
        for (Org org : orgs) {
            Node held = nodes.get(org.id());
            if (org.retired() && (held == null || !held.org.retired())) {
                for (Org child : childrenOf.getOrDefault(org.id(), List.of())) {
                    if (!child.retired()) {
                        return OrgChange.refused(OrgResult.HAS_CHILDREN, org, child.id());
                    }
                }
                if (held != null && (held.own.open() || openElsewhere.contains(org.id()))) {
                    return OrgChange.refused(OrgResult.HAS_OPEN_CAMPAIGNS, org, org.id());
                }
            }
        }
        return new OrgChange(OrgResult.UPDATED, null, null, apply(orgs));
    }

    /**
     * Applies orgs another writer decided and committed (a cluster node's copy of the tree
     * following the registry's): each is added, or replaces the org of its id, without the
     * checks of {@link #load}, which the deciding writer made. Returns the orgs that changed.
     */
    public List<Org> mirror(List<Org> orgs) {
        return apply(orgs);
    }

    private List<Org> apply(List<Org> orgs) {
        List<Org> changed = new ArrayList<>();
        List<Node> toLink = new ArrayList<>();
        for (Org org : orgs) {
            Node node = nodes.get(org.id());
            if (node == null) {
                node = new Node(org);
                nodes.put(org.id(), node);
                toLink.add(node);
            } else if (node.org.equals(org)) {
                continue;
            } else {
                if (!java.util.Objects.equals(node.org.parent(), org.parent())) {
                    unlink(node);
                    toLink.add(node);
                }
                node.org = org;
            }
            changed.add(org);
        }
        // Parents first exist, then links: a loaded org may name a parent loaded after it.
        for (Node node : toLink) {
            link(node, node.org.parent() == null ? null : nodes.get(node.org.parent()));
        }
        if (!toLink.isEmpty()) {
            recount();
        }
        return changed;
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Loads an org read back from the store, in any order (a child may come before its parent);
     * the first state given for an id wins. Call {@link #recovered()} after the last one.
     *
     * @throws IllegalStateException when the orgs restored make a cycle: the store is damaged
     */
    void restore(Org org) {
        if (nodes.containsKey(org.id())) {
            return;
        }
        Node node = new Node(org);
        nodes.put(org.id(), node);
        Node above = org.parent() == null ? null : nodes.get(org.parent());
        if (org.parent() != null && above == null) {
            awaitingParent.computeIfAbsent(org.parent(), parent -> new ArrayList<>()).add(node);
        } else {
            linkRestored(node, above);
        }
        List<Node> waiting = awaitingParent.remove(org.id());
        if (waiting != null) {
            for (Node child : waiting) {
                linkRestored(child, node);
            }
        }
    }

    /**
     * Ends recovery: every restored org has its parent, and every subtree's counts are summed
     * again from its orgs' own.
     *
     * @throws IllegalStateException when an org's parent was never restored: orgs are never
     *                               deleted, so the store is damaged
     */
    void recovered() {
        if (!awaitingParent.isEmpty()) {
            Map.Entry<String, List<Node>> missing = awaitingParent.entrySet().iterator().next();
            throw new IllegalStateException("org " + missing.getValue().get(0).org.id() + " names parent "
                    + missing.getKey() + ", which the store does not hold");
        }
        recount();
    }

    private void linkRestored(Node node, Node above) {
        for (Node at = above; at != null; at = at.parent) {
            if (at == node) {
                throw new IllegalStateException("the orgs restored make a cycle through " + node.org.id());
            }
        }
        link(node, above);
    }

    // ---------------------------------------------------------------- campaigns and counts

    /** A campaign of the org joins its counts (and its ancestors'); null when no org has this id. */
    Node attach(String orgId, Counters campaign) {
        Node node = nodes.get(orgId);
        if (node != null) {
            node.own.add(campaign);
            for (Node at = node; at != null; at = at.parent) {
                at.subtree.add(campaign);
            }
        }
        return node;
    }

    /** A campaign of the org leaves its counts (and its ancestors'). */
    void detach(Node node, Counters campaign) {
        node.own.remove(campaign);
        for (Node at = node; at != null; at = at.parent) {
            at.subtree.remove(campaign);
        }
    }

    /** A claim of a campaign of the org moved: O(depth). */
    void move(Node node, ClaimStatus before, ClaimStatus after, int rating) {
        node.own.move(before, after, rating);
        for (Node at = node; at != null; at = at.parent) {
            at.subtree.move(before, after, rating);
        }
    }

    /** Sums every subtree's counts again from its orgs' own: after orgs moved. O(orgs × depth). */
    private void recount() {
        for (Node node : nodes.values()) {
            node.subtree.clear();
        }
        for (Node node : nodes.values()) {
            for (Node at = node; at != null; at = at.parent) {
                at.subtree.add(node.own);
            }
        }
    }

    // ---------------------------------------------------------------- reads

    /** The org with this id, or null. */
    public Org get(String id) {
        Node node = nodes.get(id);
        return node == null ? null : node.org;
    }

    Node node(String id) {
        return nodes.get(id);
    }

    public int size() {
        return nodes.size();
    }

    /**
     * True when {@code org} is {@code scope} or lies below it: what an organiser of
     * {@code scope} may act on. A null scope (the district administrator) covers everything;
     * otherwise a null org (an unscoped campaign, the whole district's) and an unknown org are
     * covered by no scope. O(depth).
     */
    public boolean isWithin(String org, String scope) {
        if (scope == null) {
            return true;
        }
        return org != null && covers(nodes.get(org), scope);
    }

    static boolean covers(Node node, String scope) {
        for (Node at = node; at != null; at = at.parent) {
            if (at.org.id().equals(scope)) {
                return true;
            }
        }
        return false;
    }

    /** The orgs from the root down to {@code org}, both included; empty for an unknown org. */
    public List<Org> path(String org) {
        List<Org> path = new ArrayList<>();
        for (Node at = nodes.get(org); at != null; at = at.parent) {
            path.add(at.org);
        }
        java.util.Collections.reverse(path);
        return path;
    }

    /** The children of {@code org} (retired ones too) in id order; the roots for null; null for an unknown org. */
    public List<Org> children(String org) {
        List<Node> children = org == null ? roots : nodes.containsKey(org) ? nodes.get(org).children : null;
        if (children == null) {
            return null;
        }
        List<Org> orgs = new ArrayList<>(children.size());
        for (Node child : children) {
            orgs.add(child.org);
        }
        return orgs;
    }

    /** {@code org} and every org below it, each after its parent (depth first, siblings in id order); all orgs for null; null for an unknown org. */
    public List<Org> subtree(String org) {
        List<Org> orgs = new ArrayList<>();
        if (org == null) {
            for (Node root : roots) {
                collect(root, orgs);
            }
            return orgs;
        }
        Node node = nodes.get(org);
        if (node == null) {
            return null;
        }
        collect(node, orgs);
        return orgs;
    }

    private static void collect(Node node, List<Org> into) {
        // Iterative: a tree may be deep, and a deep recursion must not end the writer.
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        stack.push(node);
        while (!stack.isEmpty()) {
            Node at = stack.pop();
            into.add(at.org);
            for (int i = at.children.size() - 1; i >= 0; i--) {
                stack.push(at.children.get(i));
            }
        }
    }

    /** The statistics of the org's subtree with one row per child, or null for an unknown org. O(children). */
    SubtreeStats stats(String org) {
        Node node = nodes.get(org);
        return node == null ? null : new SubtreeStats(node.org, node.subtree.snapshot(), rows(node.children));
    }

    /** One row per root: the district's breakdown. */
    List<SubtreeStats.Row> rootRows() {
        return rows(roots);
    }

    private static List<SubtreeStats.Row> rows(List<Node> children) {
        List<SubtreeStats.Row> rows = new ArrayList<>(children.size());
        for (Node child : children) {
            rows.add(new SubtreeStats.Row(child.org, child.subtree.snapshot()));
        }
        return rows;
    }

    // ---------------------------------------------------------------- links

    /** Links a node under {@code above} (null: as a root), among its siblings in id order, so that a restart keeps the order. */
    private void link(Node node, Node above) {
        node.parent = above;
        List<Node> siblings = above == null ? roots : above.children;
        int low = 0;
        int high = siblings.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (siblings.get(middle).org.id().compareTo(node.org.id()) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        siblings.add(low, node);
    }

    private void unlink(Node node) {
        (node.parent == null ? roots : node.parent.children).remove(node);
        node.parent = null;
    }
}
