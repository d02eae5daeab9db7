package org.wishengine.wish.bench.load;

import io.netty.util.AsciiString;
import java.util.SplittableRandom;
import org.wishengine.wish.auth.TokenMinter;

/**
 * The request mix of a flash-grab, prepared before the run so that nothing on the hot path
 * mints tokens or builds strings: one claim path per wish, one pre-minted
 * {@code Authorization} header per user. Every request picks a wish and a user uniformly at
 * random (or the users in turn, {@link #eachUserInTurn}). Immutable after construction; shared by every connection.
 */
final class Workload {

    final String[] wishIds;
    final String[] claimPaths;
    final String[] userIds;
    final AsciiString[] authorizations;
    /** When set, users come one after another (each once per round) instead of at random. */
    private final java.util.concurrent.atomic.AtomicInteger nextUser;

    private Workload(String[] wishIds, String[] userIds, AsciiString[] authorizations,
                     java.util.concurrent.atomic.AtomicInteger nextUser) {
        this.nextUser = nextUser;
        this.wishIds = wishIds;
        this.userIds = userIds;
        this.authorizations = authorizations;
        this.claimPaths = new String[wishIds.length];
        for (int i = 0; i < wishIds.length; i++) {
            claimPaths[i] = "/api/wishes/" + wishIds[i] + "/claims";
        }
    }

    /** Wish ids {@code <prefix>-w<i>}, users {@code user-<i>} with tokens minted by {@code minter}. */
    static Workload mint(String wishPrefix, int wishes, int users, TokenMinter minter) {
        String[] wishIds = new String[wishes];
        for (int i = 0; i < wishes; i++) {
            wishIds[i] = wishPrefix + "-w" + i;
        }
        String[] userIds = new String[users];
        AsciiString[] authorizations = new AsciiString[users];
        for (int i = 0; i < users; i++) {
            userIds[i] = "user-" + i;
            authorizations[i] = AsciiString.cached("Bearer " + minter.mint(userIds[i]));
        }
        return new Workload(wishIds, userIds, authorizations, null);
    }

    /**
     * The same mix, but every request is the next user in turn (a fair-start opening: each of
     * the users enters once when as many requests are sent as there are users).
     */
    Workload eachUserInTurn() {
        return new Workload(wishIds, userIds, authorizations, new java.util.concurrent.atomic.AtomicInteger());
    }

    int pickWish(SplittableRandom random) {
        return random.nextInt(wishIds.length);
    }

    int pickUser(SplittableRandom random) {
        if (nextUser != null) {
            return Math.floorMod(nextUser.getAndIncrement(), userIds.length);
        }
        return random.nextInt(userIds.length);
    }
}
