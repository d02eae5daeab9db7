package org.wishengine.wish.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.wishengine.wish.core.Book;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.Outcome;
import org.wishengine.wish.core.Result;
import org.wishengine.wish.core.WishSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wish-load.jar heap-per-claim}: what the book keeps in the heap per claim (its users
 * already seen) and per user seen for the first time, measured as the live heap after full
 * collections before and after: the ledger's cost in memory, which a soak's growth is judged by.
 */
@Command(name = "heap-per-claim", mixinStandardHelpOptions = true,
        description = "Bytes of heap the book keeps per claim and per new user (live heap after full GCs).")
final class HeapPerClaimCommand implements Callable<Integer> {

    private static final long OPENS = 1_800_000_000_000L;
    private static final int WISHES = 1000;

    @Option(names = "--users", defaultValue = "10000", description = "users (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--claims", defaultValue = "1000000", description = "claims in all (default ${DEFAULT-VALUE})")
    int claims;

    @Override
    public Integer call() {
        if (users < 1 || claims < users || (long) claims > (long) users * WISHES) {
            System.err.println("--claims must be at least --users and at most 1000 per user");
            return 2;
        }
        Book book = newBook();
        long at = OPENS;
        for (int u = 0; u < users; u++) {
            claim(book, "w" + (u % WISHES), "user-" + u, at++);
        }
        long before = liveHeap();
        for (int i = users; i < claims; i++) {
            // Each user claims another wish each round, so that no claim repeats a user's wish.
            claim(book, "w" + ((i / users + i % users) % WISHES), "user-" + (i % users), at++);
        }
        long after = liveHeap();
        Book fresh = newBook();
        long empty = liveHeap();
        for (int u = 0; u < users; u++) {
            claim(fresh, "w" + (u % WISHES), "new-" + u, OPENS + u);
        }
        long seen = liveHeap();
        System.out.printf(Locale.ROOT, "%d claims of %d users already seen: %.1f bytes per claim%n", claims - users, users,
                (after - before) / (double) (claims - users));
        System.out.printf(Locale.ROOT, "%d users seen for the first time, one claim each: %.1f bytes per user%n", users,
                (seen - empty) / (double) users);
        // Keeps both books alive up to here, so no collection above took them.
        return book.stats().claimed() + fresh.stats().claimed() == claims + users ? 0 : 1;
    }

    private static Book newBook() {
        List<WishSpec> wishes = new ArrayList<>(WISHES);
        for (int w = 0; w < WISHES; w++) {
            wishes.add(new WishSpec("w" + w, "Wish " + w, 3000, "elderly", null, null, null));
        }
        Book book = new Book();
        book.createCampaign(new Campaign(null, "heap per claim", OPENS, WISHES, 168, 0L, wishes), OPENS - 1);
        return book;
    }

    private static void claim(Book book, String wishId, String userId, long at) {
        Outcome outcome = book.claim(wishId, userId, at);
        if (outcome.result() != Result.CREATED) {
            throw new IllegalStateException(userId + " on " + wishId + ": " + outcome.result());
        }
    }

    private static long liveHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
