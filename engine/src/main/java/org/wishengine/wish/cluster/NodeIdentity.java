package org.wishengine.wish.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a node is, as its lease records say: the node id it was given (or one made from its host
 * and pid), and where it runs, so that an operator told "node X holds the lease" can find it.
 */
public record NodeIdentity(String nodeId, String host, long pid) {

    public NodeIdentity {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("a node id must not be blank");
        }
    }

    /**
     * This process, under {@code nodeId}, or under {@code host-pid} when null: unique per process,
     * so a restarted engine is a new node that waits for the old one's lease to run out.
     */
    public static NodeIdentity thisProcess(String nodeId) {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        return new NodeIdentity(nodeId == null ? host + "-" + pid : nodeId, host, pid);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
