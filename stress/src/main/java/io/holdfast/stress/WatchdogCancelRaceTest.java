package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The holder cancels a hold's renewal (its last unlock) while a sweep renews it, and the server
 * answers that the hold is gone (the unlock deleted it). After the cancel, no later sweep may
 * renew it, and it is reported gone at most once.
 *
 * <p>Setup: hold registered and due for renewal, one sweep pending. The arbiter then runs the next
 * sweep, if one is scheduled. Result: (gone reports seen when cancel returned, items sent by the
 * racing sweep, items sent by the later sweep, gone reports in all). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=WatchdogCancelRaceTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "0, 0, 0, 0", expect = ACCEPTABLE, desc = "cancelled before the sweep looked: never sent, never reported")
@Outcome(id = "0, 1, 0, 0", expect = ACCEPTABLE, desc = "sent, then cancelled before the reply: the reply is ignored")
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "the sweep's reply came first and reported it gone once; cancel was then a no-op")
@Outcome(id = "0, 1, 0, 1", expect = ACCEPTABLE_INTERESTING,
        desc = "the sweep had taken the item out just before cancel, and reported it gone just after cancel returned"
                + " (once; every Renewable ignores a report for an item it no longer tracks)")
@Outcome(expect = FORBIDDEN, desc = "a sweep after cancel returned renewed the cancelled hold (3rd value > 0),"
        + " or it was reported gone more than once (4th > 1)")
@State
public class WatchdogCancelRaceTest {

    private final FakeClient client = new FakeClient(false);
    private final Item hold = Item.due("a");

    public WatchdogCancelRaceTest() {
        client.watchdog.register(hold);
    }

    @Actor
    public void holder(IIII_Result r) {
        client.watchdog.cancel(hold);
        r.r1 = hold.gone.get();
    }

    @Actor
    public void timer() {
        client.timer.fireOne();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = client.redis.renewalsAsked.get();
        client.timer.fireOne();
        r.r3 = client.redis.renewalsAsked.get() - r.r2;
        r.r4 = hold.gone.get();
    }
}
