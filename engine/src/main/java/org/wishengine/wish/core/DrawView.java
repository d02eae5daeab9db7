package org.wishengine.wish.core;

/**
 * A campaign's fair-start draw as the book holds it, safe to hand to any thread: the campaign
 * (null when it is a plain first-come one, which has no draw), how many entries it has, and once
 * drawn ({@code drawnAt} &gt; 0) the {@link Draw} itself, from which its public audit is made.
 * The seed it carries must be shown only once {@code drawnAt} is set.
 */
public record DrawView(Campaign campaign, int entryCount, long drawnAt, Draw draw) {

    /** True once the draw has been settled (and committed, when the view was read after it). */
    public boolean drawn() {
        return drawnAt > 0;
    }
}
