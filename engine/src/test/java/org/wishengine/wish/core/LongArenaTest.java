package org.wishengine.wish.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongArenaTest {

    @Test
    void blocksDoNotOverlapAndAReleasedBlockIsHandedOutAgain() {
        LongArena arena = new LongArena();
        int a = arena.allocate(2);
        int b = arena.allocate(3);
        int c = arena.allocate(2);
        fill(arena, a, 4, 100);
        fill(arena, b, 8, 200);
        fill(arena, c, 4, 300);
        assertFilled(arena, a, 4, 100);
        assertFilled(arena, b, 8, 200);
        assertFilled(arena, c, 4, 300);

        arena.release(a, 2);
        assertEquals(a, arena.allocate(2));
        assertNotEquals(a, arena.allocate(2));
        assertFilled(arena, b, 8, 200);
        assertFilled(arena, c, 4, 300);
    }

    @Test
    void theRestOfAFullChunkServesSmallerBlocksBeforeANewChunk() {
        LongArena arena = new LongArena();
        arena.allocate(2); // 4 longs used: 65,532 left, too few for a whole block
        int whole = arena.allocate(16);
        assertEquals(2 * LongArena.MAX_BLOCK, arena.capacity());
        assertEquals(1, whole >>> LongArena.CHUNK_BITS);
        // The first chunk's rest went to the free lists: these come from it, not from a third chunk.
        for (int sizeClass = 15; sizeClass >= 2; sizeClass--) {
            assertEquals(0, arena.allocate(sizeClass) >>> LongArena.CHUNK_BITS, "size class " + sizeClass);
        }
        assertEquals(2 * LongArena.MAX_BLOCK, arena.capacity());
    }

    @Test
    void freedHalvesMergeBackIntoTheBlockTheyWereSplitFrom() {
        LongArena arena = new LongArena();
        int[] blocks = new int[LongArena.MAX_BLOCK >>> LongArena.MIN_CLASS];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = arena.allocate(LongArena.MIN_CLASS);
        }
        assertEquals(LongArena.MAX_BLOCK, arena.capacity());
        for (int i = blocks.length - 1; i >= 0; i -= 2) { // every other block first: nothing can merge yet
            arena.release(blocks[i], LongArena.MIN_CLASS);
        }
        for (int i = blocks.length - 2; i >= 0; i -= 2) {
            arena.release(blocks[i], LongArena.MIN_CLASS);
        }
        assertEquals(0, arena.allocate(LongArena.CHUNK_BITS), "the whole first chunk, whole again");
        assertEquals(LongArena.MAX_BLOCK, arena.capacity());
    }

    @Test
    void listsGrowingInStepLeaveNoPileOfSmallBlocksBehind() {
        LongArena arena = new LongArena();
        List<LongList> lists = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lists.add(new LongList(arena));
        }
        for (int round = 0; round < 128; round++) {
            for (LongList list : lists) {
                list.add(round);
            }
        }
        // 2,000 x 128 longs in use: four chunks. Without merging, the blocks of 4 to 64 that each
        // list left behind (124 longs a list) would need about four more.
        assertEquals(4L * LongArena.MAX_BLOCK, arena.capacity());
        assertEquals(127, lists.get(1_999).get(127));
    }

    /** Many lists in one arena, each checked against a plain list after every step. */
    @Test
    void listsSharingAnArenaKeepTheirOwnValuesThroughGrowthRemovalAndFreeing() {
        LongArena arena = new LongArena();
        SplittableRandom random = new SplittableRandom(42);
        List<LongList> lists = new ArrayList<>();
        List<List<Long>> models = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lists.add(new LongList(arena));
            models.add(new ArrayList<>());
        }
        for (int step = 0; step < 60_000; step++) {
            int which = random.nextInt(lists.size());
            LongList list = lists.get(which);
            List<Long> model = models.get(which);
            int op = random.nextInt(100);
            if (op < 70) {
                long value = random.nextLong();
                list.add(value);
                model.add(value);
            } else if (op < 90 && !model.isEmpty()) {
                int index = random.nextInt(model.size());
                list.removeSwap(index);
                model.set(index, model.get(model.size() - 1));
                model.remove(model.size() - 1);
            } else if (op < 97) {
                long cut = random.nextLong();
                list.removeIf(v -> v < cut);
                model.removeIf(v -> v < cut);
            } else {
                list.free();
                model.clear();
            }
            assertSame(model, list, "list " + which + " after step " + step);
        }
        for (int i = 0; i < lists.size(); i++) {
            assertSame(models.get(i), lists.get(i), "list " + i);
        }
    }

    @Test
    void aListLongerThanTheLargestBlockMovesToChunksOfItsOwnAndGivesItsBlockBack() {
        LongArena arena = new LongArena();
        LongList list = new LongList(arena);
        int count = LongArena.MAX_BLOCK * 2 + 5;
        for (int i = 0; i < count; i++) {
            list.add(i * 3L);
        }
        for (int i = 0; i < count; i++) {
            assertEquals(i * 3L, list.get(i));
        }
        long capacity = arena.capacity();
        // The released largest block serves the next list that needs one, without a new chunk.
        LongList next = new LongList(arena);
        for (int i = 0; i < LongArena.MAX_BLOCK; i++) {
            next.add(i);
        }
        assertEquals(capacity, arena.capacity());
        assertEquals(LongArena.MAX_BLOCK - 1, next.get(LongArena.MAX_BLOCK - 1));
        assertEquals(count, list.size());
    }

    @Test
    void sortingWorksInTheArenaAsInAnArray() {
        for (LongList list : List.of(new LongList(), new LongList(new LongArena()))) {
            for (long v : new long[] {5, 3, 9, 1, 7}) {
                list.add(v);
            }
            list.sort(Long::compare);
            assertEquals(List.of(1L, 3L, 5L, 7L, 9L), values(list));
            list.sort((a, b) -> Long.compare(b, a));
            assertEquals(List.of(9L, 7L, 5L, 3L, 1L), values(list));
        }
    }

    private static void fill(LongArena arena, int block, int length, long base) {
        for (int i = 0; i < length; i++) {
            arena.set(block, i, base + i);
        }
    }

    private static void assertFilled(LongArena arena, int block, int length, long base) {
        for (int i = 0; i < length; i++) {
            assertEquals(base + i, arena.get(block, i));
        }
    }

    private static void assertSame(List<Long> model, LongList list, String what) {
        assertEquals(model, values(list), what);
    }

    private static List<Long> values(LongList list) {
        List<Long> values = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            values.add(list.get(i));
        }
        return values;
    }
}
