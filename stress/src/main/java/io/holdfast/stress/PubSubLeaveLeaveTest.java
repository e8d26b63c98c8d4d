package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.holdfast.internal.Waiter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The two waiters of a lock channel leave at once. Exactly one of them is the last and
 * unsubscribes; the hub forgets the channel (bounded resources: no subscription outlives its
 * waiters).
 *
 * <p>Setup: waiters {@code w1}, {@code w2} joined. Result: (channels tracked, subscribed on the
 * server after the last command, UNSUBSCRIBEs issued). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=PubSubLeaveLeaveTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "one UNSUBSCRIBE by whichever left last; the channel is forgotten")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "both counted out but nobody unsubscribed: the subscription leaks for ever")
@Outcome(id = ".*, .*, 2", expect = FORBIDDEN, desc = "both thought they were last: the count went below zero")
@Outcome(expect = FORBIDDEN, desc = "the hub's bookkeeping and the server's subscription disagree")
@State
public class PubSubLeaveLeaveTest {

    private final Channel channel = new Channel();
    private final Waiter w1 = new Waiter("stress:1");
    private final Waiter w2 = new Waiter("stress:2");

    public PubSubLeaveLeaveTest() {
        channel.join(w1);
        channel.join(w2);
    }

    @Actor
    public void first() {
        channel.leave(w1);
    }

    @Actor
    public void second() {
        channel.leave(w2);
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = channel.hub.channelCount();
        r.r2 = channel.subscribed();
        r.r3 = channel.unsubscribes();
    }
}
