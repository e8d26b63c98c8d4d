package io.holdfast.spi;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The Redis names of one lock that every kind has: its main key, its wake-up channel and the
 * fencing-token key of its slot, sharing one Cluster hash tag so that every key of the lock lives
 * in one slot. A kind builds the further keys it needs with {@link #derived}, from the
 * {@link KeySuffix}es its {@link LockProvider} reserves.
 *
 * @param name the user's lock name
 * @param key the lock's main key, {@code prefix + "{" + name + "}"}, or {@code prefix + name}
 *     when the name carries its own hash tag
 * @param channel the pub/sub channel releases publish on
 * @param tokenKey the fencing-token key of the lock's slot, shared by every lock of that slot (see
 *     {@code fencing-token.lua}): {@code prefix + "{" + tag + "}:token"}, where tag hashes to the
 *     lock key's slot, so that the number of token keys is bounded by the slots, not the names
 */
public record LockKeys(String name, String key, String channel, String tokenKey) {

    private static final KeySuffix WAKE = new KeySuffix("wake", false);
    private static final KeySuffix TOKEN = new KeySuffix("token", false);

    /**
     * A distributed condition's queue of waiters ({@code key + ":condition:" + condition name}, a
     * ZSET), also the name of its channel; see {@code RLock.newCondition(String)}.
     */
    public static final KeySuffix CONDITION = new KeySuffix("condition", true);

    /** A distributed condition's waiter deadlines ({@code key + ":condition-deadlines:" + condition name}, a ZSET). */
    public static final KeySuffix CONDITION_DEADLINES = new KeySuffix("condition-deadlines", true);

    /** The suffixes of core's own keys: the channel's, the token key's and the conditions'. */
    static final List<KeySuffix> CORE_SUFFIXES = List.of(WAKE, TOKEN, CONDITION, CONDITION_DEADLINES);

    /**
     * A suffix a kind derives a key with, in the lock's slot: {@code key + ":" + name}, or, per
     * holder, {@code key + ":" + name + ":" + holder id}. Reserved (see
     * {@link LockProvider#keySuffixes()}), so that no lock name can produce another lock's key.
     *
     * @param name the suffix, e.g. {@code "queue"}
     * @param perHolder whether the kind keeps one key per holder under it
     */
    public record KeySuffix(String name, boolean perHolder) {
    }

    /**
     * Derives the keys of lock {@code name}, refusing only what collides with core's own keys; see
     * {@link #of(String, String, Collection)}.
     */
    public static LockKeys of(String prefix, String name) {
        return of(prefix, name, List.of());
    }

    /**
     * Derives the keys of lock {@code name}. A name with its own hash tag that ends with
     * {@code ":" + suffix} of a reserved suffix (or of core's {@code wake} and {@code token}), or
     * contains {@code ":" + suffix + ":"} of a per-holder one, is refused: {@code "{a}:queue"}
     * would otherwise be lock "a"'s queue.
     *
     * @param reserved the suffixes the kinds of this client derive keys with
     * @throws NullPointerException if name is null
     * @throws IllegalArgumentException if name is empty, or would collide with another lock's key
     */
    public static LockKeys of(String prefix, String name, Collection<KeySuffix> reserved) {
        Objects.requireNonNull(name, "lock name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("lock name is empty");
        }
        boolean tagged = hasHashTag(name);
        if (tagged) {
            refuseReserved(name, CORE_SUFFIXES);
            refuseReserved(name, reserved);
        }
        String key = prefix + (tagged ? name : "{" + name + "}");
        String tokenKey = prefix + "{" + SlotTags.of(io.lettuce.core.cluster.SlotHash.getSlot(key)) + "}:" + TOKEN.name();
        return new LockKeys(name, key, key + ":" + WAKE.name(), tokenKey);
    }

    private static void refuseReserved(String name, Collection<KeySuffix> suffixes) {
        for (KeySuffix suffix : suffixes) {
            String s = suffix.name();
            if (name.endsWith(":" + s) || (suffix.perHolder() && name.contains(":" + s + ":"))) {
                throw new IllegalArgumentException("lock name '" + name + "' carries its own hash tag and ends with ':"
                        + s + "'" + (suffix.perHolder() ? " or contains ':" + s + ":'" : "")
                        + ", so its key would be another lock's " + s + " key; choose another name");
            }
        }
    }

    /**
     * Another key of the same lock, in the same slot: {@code key + ":" + suffix}; for a per-holder
     * suffix, the prefix of the holders' keys, {@code key + ":" + suffix + ":"} (a holder's key is
     * this prefix + its holder id).
     *
     * @param suffix a suffix the kind's provider reserves (so that no lock name can produce the same key)
     */
    public String derived(KeySuffix suffix) {
        return key + ":" + suffix.name() + (suffix.perHolder() ? ":" : "");
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
