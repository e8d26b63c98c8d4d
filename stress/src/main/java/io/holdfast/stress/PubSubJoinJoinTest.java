package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.holdfast.internal.Waiter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Two waiters join a channel nobody waits on yet. One SUBSCRIBE serves both, and the count must
 * be two: when one of them then leaves, the other stays subscribed.
 *
 * <p>Result, after {@code w1} leaves again in the arbiter: (channels tracked, subscribed on the
 * server, SUBSCRIBEs issued, a "wake one" reaches {@code w2}). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=PubSubJoinJoinTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "one SUBSCRIBE, count two; after one leaves the other is still served")
@Outcome(id = ".*, .*, 2, .*", expect = FORBIDDEN, desc = "both joiners subscribed: two channel entries were created for one name")
@Outcome(id = "0, .*, 1, .*", expect = FORBIDDEN, desc = "a join was not counted: the other waiter's leave dropped the channel under w2")
@Outcome(expect = FORBIDDEN, desc = "the remaining waiter is not on a subscribed channel, or a wake-up missed it")
@State
public class PubSubJoinJoinTest {

    private final Channel channel = new Channel();
    private final Waiter w1 = new Waiter("stress:1");
    private final Waiter w2 = new Waiter("stress:2");

    @Actor
    public void first() {
        channel.join(w1);
    }

    @Actor
    public void second() {
        channel.join(w2);
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        channel.leave(w1);
        r.r1 = channel.hub.channelCount();
        r.r2 = channel.subscribed();
        r.r3 = channel.subscribes();
        r.r4 = channel.wakeReaches(w2);
    }
}
