package org.wishengine.wish.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LeaseWaitTest {

    private final LeaseWait wait = new LeaseWait(3_000);

    private static LeaseAnswer refused(String node, long epoch, long expiresAt, long remaining) {
        return new LeaseAnswer(false, new LeaseHolder(node, epoch, expiresAt, remaining, "host", "42"));
    }

    @Test
    void shouldTakeAGrantedLeaseWithItsEpoch() {
        LeaseAnswer granted = new LeaseAnswer(true, new LeaseHolder("me", 7, 10_000, 3_000, "host", "1"));
        assertEquals(new LeaseWait.Verdict.Acquired(7), wait.observe(granted));
    }

    @Test
    void shouldWaitForAHeldLeaseToRunOutAndNoLonger() {
        assertEquals(new LeaseWait.Verdict.Wait(1_200 + LeaseWait.MARGIN_MILLIS),
                wait.observe(refused("other", 3, 5_000, 1_200)));
    }

    @Test
    void shouldNeverWaitLongerThanOneLease() {
        assertEquals(new LeaseWait.Verdict.Wait(3_000), wait.observe(refused("other", 3, 90_000, 60_000)));
    }

    @Test
    void shouldGiveUpWhenTheHolderRenewsWhileWeWait() {
        wait.observe(refused("other", 3, 5_000, 1_200));
        LeaseAnswer renewed = refused("other", 3, 6_000, 2_900);
        assertEquals(new LeaseWait.Verdict.HolderAlive(renewed.holder()), wait.observe(renewed));
    }

    @Test
    void shouldGiveUpWhenSomeoneElseTookTheLeaseMeanwhile() {
        wait.observe(refused("other", 3, 5_000, 1_200));
        LeaseAnswer third = refused("third", 4, 5_100, 2_990);
        assertEquals(new LeaseWait.Verdict.HolderAlive(third.holder()), wait.observe(third));
    }

    @Test
    void shouldWaitAgainWhenTheSameLeaseIsStillRunningOut() {
        wait.observe(refused("other", 3, 5_000, 1_200));
        assertEquals(new LeaseWait.Verdict.Wait(5 + LeaseWait.MARGIN_MILLIS), wait.observe(refused("other", 3, 5_000, 5)));
        assertEquals("other", wait.firstHolder().node());
    }
}
