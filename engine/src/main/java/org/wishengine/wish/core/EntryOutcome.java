package org.wishengine.wish.core;

import java.util.Locale;

/** Where a fair-start entry stands: waiting for the draw, or what the draw gave it. */
public enum EntryOutcome {
    /** The draw has not happened yet. */
    PENDING,
    /** The draw gave the entry a unit: its claim exists. */
    WON,
    /** The draw gave the entry nothing (see {@link DrawSettlement.LossReason}). */
    LOST;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The outcome as the API writes it. */
    public String wireName() {
        return wireName;
    }
}
