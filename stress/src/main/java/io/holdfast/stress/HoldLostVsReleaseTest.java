package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * The holder releases its last level (ACTIVE → RELEASING → RELEASED) while the watchdog reports
 * the hold gone (ACTIVE → LOST): the renewal found the key missing because the release deleted it,
 * or the lease had really run out. Exactly one of the two wins, the loss is signalled at most once
 * and only if it won, and the hold leaves both the client's registry and the watchdog.
 *
 * <p>Result: (unlock: 0 returned, 1 threw LockLostException; final state: 2 RELEASED, 3 LOST;
 * loss-listener calls; whenLost() completed; holds left in registry + watchdog). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=HoldLostVsReleaseTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "0, 2, 0, 0, 0", expect = ACCEPTABLE,
        desc = "the release began first: a missing key while RELEASING means released, not lost; nothing signalled")
@Outcome(id = "1, 3, 1, 1, 0", expect = ACCEPTABLE,
        desc = "the watchdog's report came first: LOST, signalled once, and unlock() reports the loss")
@Outcome(expect = FORBIDDEN, desc = "two final states at once, a loss signalled twice or for a released hold,"
        + " a silent loss, or a hold left behind in the registry or the watchdog")
@State
public class HoldLostVsReleaseTest {

    private final HeldLock lock = new HeldLock();

    @Actor
    public void holder(IIIII_Result r) {
        r.r1 = lock.unlock();
    }

    @Actor
    public void watchdog() {
        lock.hold.gone("the server no longer has it");
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        lock.observe(r);
    }
}
