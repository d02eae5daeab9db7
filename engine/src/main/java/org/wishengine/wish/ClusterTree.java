package org.wishengine.wish;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wishengine.wish.cluster.OrgHoldings;
import org.wishengine.wish.cluster.TreeUnsettled;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Command;
import org.wishengine.wish.core.Org;
import org.wishengine.wish.core.Reply;
import org.wishengine.wish.ring.CommandFuture;
import org.wishengine.wish.ring.CommandGateway;
import org.wishengine.wish.store.ClusterRegistry;
import org.wishengine.wish.store.ClusterRegistry.TreeCommit;

/**
 * The organiser tree on a cluster node. The tree is global state, so it lives in the registry
 * ({@code {wish}:orgs}, one element per committed edit, its length the version) and every node's
 * book holds a copy of it, brought up to date as the version moves (each heartbeat tick reads it).
 *
 * <p>An edit is decided by the core's own rules on a copy of the tree kept here, off the ring
 * (a {@link Book} holding nothing but the tree), and committed to the registry only if the tree
 * is still at the version it was decided against: edits decided on two nodes at once come one
 * after the other, the second decided again on the tree the first left. Only then does the
 * node's own book get it, as every other node's does: as a committed change
 * ({@link Command.MirrorOrgs}). Retiring an org also needs what the books hold: the caller counts
 * the org's campaigns on every node ({@link OrgHoldings}), the copy refuses an org with an open
 * one, and the registry refuses the edit when it reserved more campaigns for the org than the
 * nodes counted (one being published, or on a node that is down).
 *
 * <p>Everything here runs on one thread of its own, which may block on Redis and on the ring;
 * edits are rare (an administrator's), and the claim path never waits for them.
 */
final class ClusterTree implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterTree.class);
    /**
     * An edit decided against a tree another node changed meanwhile is decided again: each such
     * loss means another edit went in, so this ends; the bound (and {@link #timeout}) only keeps a
     * storm of edits on other nodes from holding a request for ever.
     */
    private static final int ATTEMPTS = 100;

    private final ClusterRegistry registry;
    private final CommandGateway gateway;
    private final Clock clock;
    private final Duration timeout;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "wish-tree");
        t.setDaemon(true);
        return t;
    });
    /** The tree as committed up to {@link #version}; on {@link #thread} only. */
    private Book copy = new Book(1);
    private long version;
    /** The org ids this node's book holds, for the event loops' quick check. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile long bookVersion;

    ClusterTree(ClusterRegistry registry, CommandGateway gateway, Clock clock, Duration timeout) {
        this.registry = registry;
        this.gateway = gateway;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** Loads the whole tree into the copy and the node's book; blocks until the book has it. */
    void start() throws Exception {
        thread.submit(() -> {
            catchUpNow();
            return null;
        }).get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
        LOG.info("Organiser tree at version {}: {} orgs", version, known.size());
    }

    /** True when this node's book holds the org (as of the last catch-up). Any thread. */
    boolean knows(String orgId) {
        return known.contains(orgId);
    }

    /** The version of the tree this node's book holds. */
    long version() {
        return bookVersion;
    }

    /** Brings the copy and the book up to the registry's tree; completes once the book has it. */
    CompletionStage<Void> catchUp() {
        return CompletableFuture.runAsync(this::catchUpUnchecked, thread);
    }

    /** A tick saw the registry's tree at {@code seen}: catches up when it is ahead of the book. */
    void versionSeen(long seen) {
        if (seen > bookVersion) {
            catchUp().exceptionally(failure -> {
                LOG.warn("Could not bring the organiser tree up to version {}: {}", seen, failure.toString());
                return null;
            });
        }
    }

    /**
     * Decides a tree edit ({@link Command.CreateOrg}, {@link Command.RenameOrg},
     * {@link Command.RetireOrg}, {@link Command.LoadOrgs}) and commits it: completes with the
     * book's reply (a refusal, or the change, then held by this node's book), or fails with
     * {@link TreeUnsettled} when the registry could not take it now.
     */
    CompletionStage<Reply> edit(Command edit, OrgHoldings holdings) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return editNow(edit, holdings);
            } catch (TreeUnsettled e) {
                throw e;
            } catch (Exception e) {
                rebuild();
                throw new TreeUnsettled(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }, thread);
    }

    private Reply editNow(Command edit, OrgHoldings holdings) throws Exception {
        Command judged = edit;
        if (edit instanceof Command.RetireOrg retire) {
            judged = retire.knowing(holdings.open());
        } else if (edit instanceof Command.LoadOrgs load) {
            judged = load.knowing(holdings.open());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; attempt <= ATTEMPTS && System.nanoTime() - deadline < 0; attempt++) {
            catchUpNow();
            Map<String, Boolean> retiredBefore = new HashMap<>();
            for (Org org : copy.orgs(null).value()) {
                retiredBefore.put(org.id(), org.retired());
            }
            Reply reply = judged.apply(copy);
            if (!(reply instanceof Reply.OrgEdit orgEdit) || !orgEdit.changedState()) {
                return reply; // a refusal, or nothing to change: the copy is as it was
            }
            List<String> retiring = new ArrayList<>();
            List<Long> held = new ArrayList<>();
            List<String> revived = new ArrayList<>();
            for (Org org : orgEdit.change().changed()) {
                Boolean before = retiredBefore.get(org.id());
                if (org.retired() && !Boolean.TRUE.equals(before)) {
                    retiring.add(org.id());
                    held.add(holdings.campaigns(org.id()));
                } else if (!org.retired() && Boolean.TRUE.equals(before)) {
                    revived.add(org.id());
                }
            }
            TreeCommit commit = await(registry.commitTree(version, orgEdit.change().changed(), orgEdit.audit(),
                    retiring, held, revived));
            if (commit instanceof TreeCommit.Committed committed) {
                version = committed.version();
                try {
                    toBook(orgEdit.change().changed(), version);
                } catch (Exception e) {
                    // The edit stands (the registry has it); the book gets it at the next tick's catch-up.
                    LOG.warn("Tree edit committed at version {}, not yet in this node's book: {}", version, e.toString());
                    rebuild();
                }
                return reply;
            }
            rebuild(); // the copy holds an edit the registry did not take
            if (commit instanceof TreeCommit.Uncounted uncounted) {
                throw new TreeUnsettled("a campaign of org " + uncounted.org() + " is being published, or is on a "
                        + "node that is down or moving; nothing was changed; try again shortly");
            }
        }
        throw new TreeUnsettled("the organiser tree kept changing on other nodes; nothing was changed; try again");
    }

    private void catchUpUnchecked() {
        try {
            catchUpNow();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the edits committed since {@link #version} into the copy, then hands them to the book. */
    private void catchUpNow() throws Exception {
        List<List<Org>> edits = await(registry.treeSince(version));
        if (edits.isEmpty()) {
            return;
        }
        List<Org> changed = new ArrayList<>();
        for (List<Org> orgs : edits) {
            copy.mirrorOrgs(orgs);
            changed.addAll(orgs);
        }
        version += edits.size();
        try {
            toBook(changed, version);
        } catch (Exception e) {
            rebuild(); // read again from the start next time, so that the book misses nothing
            throw e;
        }
    }

    /**
     * Forgets the copy: the next catch-up reads the whole tree again and hands the book whatever
     * it does not hold yet. The book is not touched.
     */
    private void rebuild() {
        copy = new Book(1);
        version = 0;
    }

    /** Hands committed changes to this node's book and waits until it holds them. */
    private void toBook(List<Org> changed, long at) throws Exception {
        if (at <= bookVersion) {
            return; // a rebuilt copy read again what the book already holds
        }
        CommandFuture done = new CommandFuture();
        CommandGateway.Admission admission = gateway.publish(new Command.MirrorOrgs(changed, clock.millis()), done);
        if (admission != CommandGateway.Admission.ACCEPTED) {
            throw new IllegalStateException("the ring did not take the tree's changes (" + admission + ")");
        }
        await(done.settled());
        for (Org org : changed) {
            known.add(org.id());
        }
        bookVersion = at;
    }

    private <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof Exception exception ? exception : e;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
