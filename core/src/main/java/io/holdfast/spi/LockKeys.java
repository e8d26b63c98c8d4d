package io.holdfast.spi;

import java.util.Objects;

/**
 * The Redis names of one lock: its key and its wake-up channel, sharing one Cluster hash tag so
 * that every key of the lock lives in one slot.
 *
 * @param name the user's lock name
 * @param key the lock's main key, {@code prefix + "{" + name + "}"}, or {@code prefix + name}
 *     when the name carries its own hash tag
 * @param channel the pub/sub channel releases publish on
 */
public record LockKeys(String name, String key, String channel) {

    /**
     * Derives the keys of lock {@code name}.
     *
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is empty
     */
    public static LockKeys of(String prefix, String name) {
        Objects.requireNonNull(name, "lock name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lock name is empty");
        }
        String key = prefix + (hasHashTag(name) ? name : "{" + name + "}");
        return new LockKeys(name, key, key + ":wake");
    }

    /** Another key of the same lock, in the same slot: {@code key + ":" + suffix}. */
    public String derived(String suffix) {
        return key + ":" + suffix;
    }

    /** Redis Cluster's rule: the first '{' followed later by a '}' with something in between. */
    static boolean hasHashTag(String name) {
        int open = name.indexOf('{');
        if (open < 0) {
            return false;
        }
        int close = name.indexOf('}', open + 1);
        return close > open + 1;
    }
}
