package io.holdfast.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.holdfast.internal.Waiter;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * A channel's last waiter has left and the channel lingers; the linger ends (the timer fires) while
 * a new waiter joins. The new waiter must end up on a subscribed channel the hub still tracks.
 *
 * <p>Setup: waiter {@code w1} joined and left (the linger is pending). Result: (channels tracked,
 * subscribed on the server after the last command, SUBSCRIBEs issued, UNSUBSCRIBEs issued, a "wake
 * one" reaches the new waiter). Run it alone, longer:
 * {@code ./mvnw -B -pl stress -am verify -DskipTests -Djcstress.tests=PubSubLingerJoinTest -Djcstress.mode=default}
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 0, 1", expect = ACCEPTABLE,
        desc = "joined first: the lingering subscription is reused (no SUBSCRIBE), the linger's end keeps it")
@Outcome(id = "1, 1, 2, 1, 1", expect = ACCEPTABLE,
        desc = "the linger ended first: unsubscribed and forgotten, then subscribed again for the new waiter")
@Outcome(id = "1, 0, .*, .*, .*", expect = FORBIDDEN,
        desc = "UNSUBSCRIBE issued after the new waiter joined: it waits on a channel the server no longer sends")
@Outcome(id = "0, .*, .*, .*, .*", expect = FORBIDDEN, desc = "the hub dropped the channel while a waiter is on it")
@Outcome(expect = FORBIDDEN, desc = "a wake-up missed the new waiter, or a count went wrong")
@State
public class PubSubLingerJoinTest {

    private final Channel channel = new Channel(true);
    private final Waiter w1 = new Waiter("stress:1");
    private final Waiter w2 = new Waiter("stress:2");

    public PubSubLingerJoinTest() {
        channel.join(w1);
        channel.leave(w1);
    }

    @Actor
    public void lingerEnds() {
        channel.timer.fireOne();
    }

    @Actor
    public void joins() {
        channel.join(w2);
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r1 = channel.hub.channelCount();
        r.r2 = channel.subscribed();
        r.r3 = channel.subscribes();
        r.r4 = channel.unsubscribes();
        r.r5 = channel.wakeReaches(w2);
    }
}
