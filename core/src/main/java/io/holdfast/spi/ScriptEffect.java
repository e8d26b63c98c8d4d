package io.holdfast.spi;

import java.util.Objects;

/**
 * What a release, abandon or force-unlock script did, as its reply tells: whether it found what it
 * was to change, and the wake-up message it published on the lock's channel. The engine acts on
 * that message for this client's own waiters at once ({@link PubSubHub#deliverLocally}), without
 * waiting for it to come back through pub/sub; a kind never calls the hub itself.
 *
 * @param found a release: the holder had a hold on the server; a force-unlock: the lock was held;
 *     an abandon: whatever the script found (the engine does not read it)
 * @param published the {@link WakeMessage} the script published, empty if none (or if the kind's
 *     script does not report it: the message then reaches local waiters through pub/sub only)
 */
public record ScriptEffect(boolean found, String published) {

    public ScriptEffect {
        Objects.requireNonNull(published, "published");
    }

    /** An effect that published nothing the engine should act on. */
    public static ScriptEffect of(boolean found) {
        return new ScriptEffect(found, "");
    }
}
