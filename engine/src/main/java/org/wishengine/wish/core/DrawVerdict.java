package org.wishengine.wish.core;

/**
 * What {@link DrawAudit#verify} found: either the audit recomputes ({@link Verified}), or the first
 * place where it does not ({@link Mismatch}).
 */
public sealed interface DrawVerdict {

    /** True when the audit recomputes entirely. */
    boolean ok();

    /** One line for a person: {@code OK ...} or where the audit first differs. */
    String describe();

    /** Which check of {@link DrawAudit#verify} failed, in the order they are made. */
    enum Part {
        /** The revealed seed is not 64 hex digits. */
        SEED,
        /** SHA-256 of the revealed seed is not the published commitment. */
        COMMITMENT,
        /** An entry is malformed, repeats an entry id, or is out of arrival order. */
        ENTRIES,
        /** The per-user limit, the units left or the claims held before cannot be what a draw used. */
        RULES,
        /** The published drawn order is not the one the seed gives for the published entries. */
        DRAWN_ORDER,
        /** The published winners are not the ones the drawn order and the rules give. */
        WINNERS
    }

    /** The audit recomputes: the commitment, the drawn order and the winners all match. */
    record Verified(String commitment, int entries, int winners) implements DrawVerdict {
        @Override
        public boolean ok() {
            return true;
        }

        @Override
        public String describe() {
            return "OK: commitment " + commitment + " matches the seed; drawn order of " + entries
                    + " entries and " + winners + " winners recomputed";
        }
    }

    /**
     * The first difference found. {@code index} is the position in the list the part names (the
     * entries in arrival order, the drawn order, or the winners), or -1 when the part is a single
     * value; {@code expected} is what recomputing gives there and {@code found} what the audit
     * says ({@code (none)} past the end of a list).
     */
    record Mismatch(Part part, int index, String expected, String found) implements DrawVerdict {
        @Override
        public boolean ok() {
            return false;
        }

        @Override
        public String describe() {
            String where = switch (part) {
                case SEED -> "seed";
                case COMMITMENT -> "commitment";
                case ENTRIES -> "entry at arrival position " + index;
                case RULES -> "rules";
                case DRAWN_ORDER -> "drawn order at place " + index;
                case WINNERS -> "winner number " + index;
            };
            return "MISMATCH in " + where + ": expected " + expected + ", found " + found;
        }
    }
}
