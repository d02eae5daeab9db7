package org.wishengine.wish.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The claims one connection was answered 201 for, kept in three primitive arrays instead of an
 * object per claim: the wish and user each request named (as indexes into the workload), and
 * the claim id's bytes. A load generator that keeps a few objects per answer grows a live set
 * that every one of its own young collections copies, and those pauses delay its requests and
 * count against the server it measures; arrays of numbers are copied once when they grow and
 * hold no references to trace.
 */
final class AckLog {

    private long[] picks = new long[256];
    private int[] idEnds = new int[256];
    private byte[] idBytes = new byte[4096];
    private int size;

    /** Starts a claim for the request that named {@code wish} and {@code user}; its id follows. */
    void begin(int wish, int user) {
        if (size == picks.length) {
            picks = Arrays.copyOf(picks, size * 2);
            idEnds = Arrays.copyOf(idEnds, size * 2);
        }
        picks[size] = ((long) wish << 32) | (user & 0xFFFF_FFFFL);
        idEnds[size] = size == 0 ? 0 : idEnds[size - 1];
        size++;
    }

    /** Appends to the current claim's id the characters {@code text[offset, offset + length)}. */
    void appendId(char[] text, int offset, int length) {
        int end = idEnds[size - 1];
        for (int i = 0; i < length; i++) {
            char c = text[offset + i];
            if (c < 0x80) {
                ensure(end + 1);
                idBytes[end++] = (byte) c;
            } else { // not an id this engine gives out, but kept exactly all the same
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                ensure(end + utf8.length);
                System.arraycopy(utf8, 0, idBytes, end, utf8.length);
                end += utf8.length;
            }
        }
        idEnds[size - 1] = end;
    }

    private void ensure(int capacity) {
        if (capacity > idBytes.length) {
            idBytes = Arrays.copyOf(idBytes, Math.max(capacity, idBytes.length * 2));
        }
    }

    int size() {
        return size;
    }

    /** The claims as the invariant check takes them; {@code missingId} stands for an empty id. */
    void addTo(List<InvariantChecker.AckedClaim> out, String[] wishIds, String[] userIds, String missingId) {
        for (int i = 0; i < size; i++) {
            int start = i == 0 ? 0 : idEnds[i - 1];
            String id = idEnds[i] == start ? missingId
                    : new String(idBytes, start, idEnds[i] - start, StandardCharsets.UTF_8);
            out.add(new InvariantChecker.AckedClaim(id, wishIds[(int) (picks[i] >>> 32)], userIds[(int) picks[i]]));
        }
    }
}
