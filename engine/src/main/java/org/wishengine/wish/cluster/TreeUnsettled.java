package org.wishengine.wish.cluster;

/**
 * A tree edit on a cluster node that the registry could not take now (another edit kept coming
 * first, a campaign of an org being retired was not counted, or Redis did not answer): nothing
 * was changed, and the client may try again.
 */
public final class TreeUnsettled extends RuntimeException {

    public TreeUnsettled(String message) {
        super(message, null, false, false);
    }
}
