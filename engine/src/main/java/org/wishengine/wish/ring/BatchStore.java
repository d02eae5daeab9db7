package org.wishengine.wish.ring;

/**
 * Where the commit stage makes batches durable. Implementations must be idempotent per
 * {@link Batch#sequence()}: applying the same batch twice, or an older batch after a newer one,
 * leaves the store as if it had been applied once in order.
 */
public interface BatchStore {

    /** Makes every change of the batch durable, or throws; never partially acknowledges. */
    void commit(Batch batch) throws Exception;
}
