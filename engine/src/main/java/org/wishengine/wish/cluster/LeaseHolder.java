package org.wishengine.wish.cluster;

/**
 * Who holds a lease, as the store answered: the node, the fencing epoch of its tenure, when it
 * expires on the store's clock ({@code expiresAt}) and how long that was from the answer
 * ({@code remainingMillis}), and where the node runs. An empty {@code node} means nobody ever held it.
 */
public record LeaseHolder(String node, long epoch, long expiresAt, long remainingMillis, String host, String pid) {

    /** One phrase for logs and refusals: {@code node n1 (pid 42 on host a), epoch 3, 2100 ms left}. */
    public String describe() {
        String where = host.isEmpty() ? "" : " (pid " + pid + " on host " + host + ")";
        return "node " + node + where + ", epoch " + epoch + ", " + remainingMillis + " ms left";
    }
}
