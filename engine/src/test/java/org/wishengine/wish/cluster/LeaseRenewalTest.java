package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaseRenewalTest {

    private static final long MS = 1_000_000;
    private static final long LEASE = 3_000 * MS;

    private final LeaseRenewal renewal = new LeaseRenewal(5, LEASE, 0);

    private static LeaseAnswer granted(long epoch) {
        return new LeaseAnswer(true, new LeaseHolder("me", epoch, 0, 3_000, "h", "1"));
    }

    @Test
    void shouldRenewEveryThirdOfTheLeaseOneRequestAtATime() {
        assertFalse(renewal.due(999 * MS));
        assertTrue(renewal.due(1_000 * MS));
        renewal.sent(1_000 * MS);
        assertFalse(renewal.due(2_500 * MS), "never two renewals on the wire");
        assertFalse(renewal.answered(granted(5)));
        assertFalse(renewal.due(1_999 * MS));
        assertTrue(renewal.due(2_000 * MS));
    }

    @Test
    void shouldCountTheLeaseFromWhenTheConfirmedRenewalWasSent() {
        renewal.sent(1_000 * MS);
        renewal.answered(granted(5));
        assertEquals(LeaseRenewal.State.HELD, renewal.state(3_999 * MS));
        assertEquals(LeaseRenewal.State.UNCONFIRMED, renewal.state(4_000 * MS),
                "the store may have started counting when the request left");
    }

    @Test
    void shouldStayUnconfirmedButNotLostWhileTheStoreDoesNotAnswer() {
        renewal.sent(1_000 * MS);
        renewal.failed();
        renewal.sent(2_000 * MS);
        renewal.failed();
        assertEquals(LeaseRenewal.State.UNCONFIRMED, renewal.state(5_000 * MS));
        assertTrue(renewal.due(3_000 * MS), "keeps trying");
        renewal.sent(5_000 * MS);
        assertFalse(renewal.answered(granted(5)));
        assertEquals(LeaseRenewal.State.HELD, renewal.state(5_001 * MS), "nobody took it meanwhile");
    }

    @Test
    void shouldBeLostForGoodOnceAnotherHolderAnswers() {
        renewal.sent(1_000 * MS);
        LeaseHolder other = new LeaseHolder("other", 6, 0, 2_000, "h2", "2");
        assertTrue(renewal.answered(new LeaseAnswer(false, other)));
        assertEquals(LeaseRenewal.State.LOST, renewal.state(1_001 * MS));
        assertEquals(other, renewal.takenBy());
        assertFalse(renewal.due(10_000 * MS), "a lost lease is not renewed");
        assertFalse(renewal.answered(granted(5)), "told once");
        assertEquals(LeaseRenewal.State.LOST, renewal.state(10_000 * MS));
    }

    @Test
    void shouldTreatAGrantUnderAnotherEpochAsLost() {
        renewal.sent(1_000 * MS);
        assertTrue(renewal.answered(granted(9)));
        assertEquals(LeaseRenewal.State.LOST, renewal.state(1_000 * MS));
        assertNull(new LeaseRenewal(1, LEASE, 0).takenBy());
    }
}
