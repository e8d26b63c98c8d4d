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
 * A hold registers just as the sweep of its (now empty) group runs: the sweep finds no item and
 * stops scheduling itself, while the registration finds a sweep still scheduled and does not
 * schedule one. Exactly one of them must end up scheduling the next sweep.
 *
 * <p>Setup: hold {@code a} registered and cancelled, so the group exists, is empty, and has one
 * sweep pending. Result: (items registered, sweeps scheduled). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=WatchdogIdleSweepRaceTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the new hold is registered and one sweep is scheduled to renew it")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "lost wake-up: registered but no sweep will ever run, the lease runs out unrenewed and unreported")
@Outcome(id = "1, [2-9]", expect = FORBIDDEN, desc = "the idle sweep and the registration both scheduled: two sweep chains for one group")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "the registration was dropped")
@State
public class WatchdogIdleSweepRaceTest {

    private final FakeClient client = new FakeClient(true);
    private final Item b = Item.fresh("b");

    public WatchdogIdleSweepRaceTest() {
        Item a = Item.fresh("a");
        client.watchdog.register(a);
        client.watchdog.cancel(a);
    }

    @Actor
    public void holder() {
        client.watchdog.register(b);
    }

    @Actor
    public void timer() {
        client.timer.fireOne();
    }

    @Arbiter
    public void arbiter(II_Result r) {
        r.r1 = client.watchdog.size();
        r.r2 = client.timer.pending();
    }
}
