package io.holdfast.stress;

import io.holdfast.internal.PubSubHub;
import io.holdfast.internal.Waiter;

/** A client's pub/sub hub over a {@link FakeRedis} connection, and one lock channel on it. */
final class Channel {

    static final String NAME = "holdfast:{orders}:wake";

    final FakeRedis redis = new FakeRedis(true);
    final ManualTimer timer = new ManualTimer();
    final PubSubHub hub;

    /** A hub that unsubscribes as soon as the last waiter leaves. */
    Channel() {
        this(false);
    }

    /** @param linger whether the hub keeps the channel after the last waiter left, until {@link #timer} fires */
    Channel(boolean linger) {
        hub = linger ? new PubSubHub(redis.pubSub(), timer, PubSubHub.LINGER_MILLIS) : new PubSubHub(redis.pubSub());
    }

    void join(Waiter w) {
        hub.join(NAME, w);
    }

    void leave(Waiter w) {
        hub.leave(NAME, w);
    }

    /** 1 if the channel is subscribed on the (fake) server after the last command issued, else 0. */
    int subscribed() {
        return redis.subscribed(NAME) ? 1 : 0;
    }

    int subscribes() {
        return redis.commands("subscribe", NAME);
    }

    int unsubscribes() {
        return redis.commands("unsubscribe", NAME);
    }

    /** Delivers a "wake one" message as the server would; 1 if {@code w} took it, else 0. */
    int wakeReaches(Waiter w) {
        hub.wakeOne(NAME);
        return w.done() ? 1 : 0;
    }
}
