package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.wishengine.wish.core.Campaign;
import org.wishengine.wish.core.WishSpec;

/** The directory's caching rules, with a registry whose answers the test completes by hand. */
class ClusterDirectoryTest {

    /** Records each lookup and leaves it pending until the test answers it. */
    private static final class PendingLookups implements CampaignLookup {
        final List<String> asked = new ArrayList<>();
        final List<CompletableFuture<String>> answers = new ArrayList<>();

        @Override
        public synchronized CompletionStage<String> campaignOfWish(String wishId) {
            return ask("wish " + wishId);
        }

        @Override
        public synchronized CompletionStage<String> campaignOfBlock(long block) {
            return ask("block " + block);
        }

        private CompletionStage<String> ask(String what) {
            asked.add(what);
            CompletableFuture<String> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }
    }

    private final PendingLookups registry = new PendingLookups();
    private final ClusterDirectory directory = new ClusterDirectory(registry);

    @Test
    void shouldLookAMissUpOnceForConcurrentCallersAndKeepTheAnswerForever() {
        CompletableFuture<String> first = directory.campaignOfWish("w-1").toCompletableFuture();
        CompletableFuture<String> second = directory.campaignOfWish("w-1").toCompletableFuture();
        assertFalse(first.isDone(), "a miss does not block: it answers when the registry does");
        assertEquals(List.of("wish w-1"), registry.asked);

        registry.answers.get(0).complete("c-1");
        assertEquals("c-1", first.join());
        assertEquals("c-1", second.join());
        assertEquals("c-1", directory.knownCampaignOfWish("w-1"));
        assertEquals("c-1", directory.campaignOfWish("w-1").toCompletableFuture().getNow(null), "a hit answers at once");
        assertEquals(1, registry.asked.size(), "and is not looked up again");
    }

    @Test
    void shouldAskAgainAfterAnUnknownIdOrAFailure() {
        CompletableFuture<String> unknown = directory.campaignOfBlock(7).toCompletableFuture();
        registry.answers.get(0).complete(null);
        assertNull(unknown.join());
        assertNull(directory.knownCampaignOfBlock(7), "unknown now may be granted later");

        CompletableFuture<String> failed = directory.campaignOfBlock(7).toCompletableFuture();
        registry.answers.get(1).completeExceptionally(new IllegalStateException("Redis is down"));
        assertTrue(failed.isCompletedExceptionally());

        CompletableFuture<String> granted = directory.campaignOfBlock(7).toCompletableFuture();
        registry.answers.get(2).complete("c-9");
        assertEquals("c-9", granted.join());
        assertEquals(List.of("block 7", "block 7", "block 7"), registry.asked);
        assertEquals("c-9", directory.knownCampaignOfBlock(7));
    }

    @Test
    void shouldKnowWhatThisNodeRegisteredWithoutAsking() {
        directory.remember(new Campaign("c-2", "t", 0, 1, 1, 0, List.of(
                new WishSpec("w-3", "a", 1, null, null, null, null), new WishSpec("w-4", "b", 1, null, null, null, null))));
        directory.rememberBlock(5, "c-2");
        assertEquals("c-2", directory.campaignOfWish("w-4").toCompletableFuture().getNow(null));
        assertEquals("c-2", directory.campaignOfBlock(5).toCompletableFuture().getNow(null));
        assertTrue(registry.asked.isEmpty());
    }

    @Test
    void shouldReplaceNodesAndOwnersAsAWholeOnRefresh() {
        directory.refresh(List.of(new NodeRecord("a", "http://a:1", 10), new NodeRecord("b", "http://b:2", 10)),
                Map.of("c-1", "a", "c-2", "b", "c-3", ""));
        assertEquals(Map.of("a", "http://a:1", "b", "http://b:2"), directory.nodes());
        assertEquals("http://b:2", directory.ownerUrlOf("c-2"));
        assertNull(directory.ownerOf("c-3"), "an empty hint means nobody owns it");

        directory.refresh(List.of(new NodeRecord("a", "http://a:1", 20)), Map.of("c-1", "a", "c-2", "b"));
        assertNull(directory.urlOf("b"), "b's heartbeat ran out");
        assertEquals("b", directory.ownerOf("c-2"));
        assertNull(directory.ownerUrlOf("c-2"), "its owner is not alive: nowhere to forward to");
        assertEquals("http://a:1", directory.ownerUrlOf("c-1"));
    }
}
