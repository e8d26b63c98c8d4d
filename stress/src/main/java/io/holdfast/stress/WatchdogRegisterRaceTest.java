package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two holds of the same lease length register at once with a watchdog that has no group for that
 * lease yet: both race to create the group and to schedule its first sweep.
 *
 * <p>Result: (items registered, sweeps scheduled). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=WatchdogRegisterRaceTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "both items are in one group, which has exactly one sweep scheduled")
@Outcome(id = "1, .*", expect = FORBIDDEN, desc = "a registration was lost to the group-creation race: that lease would never be renewed")
@Outcome(id = "2, 0", expect = FORBIDDEN, desc = "registered but no sweep scheduled: both leases would run out unrenewed and unreported")
@Outcome(id = "2, [2-9]", expect = FORBIDDEN, desc = "two sweep chains for one group: every lease renewed twice per period, forever")
@Outcome(expect = FORBIDDEN, desc = "no registration at all survived")
@State
public class WatchdogRegisterRaceTest {

    private final FakeClient client = new FakeClient(true);
    private final Item a = Item.fresh("a");
    private final Item b = Item.fresh("b");

    @Actor
    public void holderA() {
        client.watchdog.register(a);
    }

    @Actor
    public void holderB() {
        client.watchdog.register(b);
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = client.watchdog.size();
        r.r2 = client.timer.pending();
    }
}
