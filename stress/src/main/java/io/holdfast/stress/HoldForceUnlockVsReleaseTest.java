package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * The holder releases its last level while another thread of the same client force-unlocks the
 * lock, which marks every local hold on it LOST, even one being released. LOST and RELEASED are
 * both final: whichever the hold reaches first, it must stay there, and the loss is signalled at
 * most once, only for a hold that ends LOST.
 *
 * <p>Result: (unlock: 0 returned, 1 threw LockLostException; final state: 2 RELEASED, 3 LOST;
 * loss-listener calls; whenLost() completed; holds left in registry + watchdog). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=HoldForceUnlockVsReleaseTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "0, 2, 0, 0, 0", expect = ACCEPTABLE, desc = "released before the force-unlock looked: nothing to mark lost")
@Outcome(id = "1, 3, 1, 1, 0", expect = ACCEPTABLE,
        desc = "force-unlocked first: LOST, signalled once, unlock() reports the loss")
@Outcome(id = "0, 3, 1, 1, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "force-unlocked while the release was in flight: the release succeeds but the hold ends LOST, signalled once")
@Outcome(id = "0, 2, 1, 1, 0", expect = FORBIDDEN,
        desc = "the release overwrote LOST with RELEASED after the loss was signalled: a final state left again")
@Outcome(expect = FORBIDDEN, desc = "a loss signalled twice or not at all for a LOST hold, or a hold left behind")
@State
public class HoldForceUnlockVsReleaseTest {

    private final HeldLock lock = new HeldLock();

    @Actor
    public void holder(IIIII_Result r) {
        r.r1 = lock.unlock();
    }

    @Actor
    public void forceUnlock() {
        lock.client.ctx.engine().forceUnlock(lock.kind, lock.keys).join();
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        lock.observe(r);
    }
}
