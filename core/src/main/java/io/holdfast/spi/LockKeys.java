package io.holdfast.spi;

import java.util.List;
import java.util.Objects;

/**
 * The Redis names of one lock: its key and its wake-up channel, sharing one Cluster hash tag so
 * that every key of the lock lives in one slot.
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

    private static final String WAKE = "wake";
    private static final String TOKEN = "token";

    /**
     * Every suffix a lock kind may derive a key or channel with. A name with its own hash tag that
     * ends with one of them is refused: {@code "{a}:queue"} would otherwise be lock "a"'s queue.
     */
    public static final List<String> SUFFIXES = List.of(WAKE, "queue", "waiter", "leases", "intents", "turn", TOKEN);

    /** The suffix under which a kind keeps one key per holder: {@code key + ":waiter:" + holder id}. */
    private static final String PER_HOLDER = "waiter";

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
        boolean tagged = hasHashTag(name);
        if (tagged) {
            for (String suffix : SUFFIXES) {
                if (name.endsWith(":" + suffix) || (suffix.equals(PER_HOLDER) && name.contains(":" + suffix + ":"))) {
                    throw new IllegalArgumentException("lock name '" + name + "' carries its own hash tag and ends with ':"
                            + suffix + "'" + (suffix.equals(PER_HOLDER) ? " or contains ':" + suffix + ":'" : "")
                            + ", so its key would be another lock's " + suffix + " key; choose another name");
                }
            }
        }
        String key = prefix + (tagged ? name : "{" + name + "}");
        String tokenKey = prefix + "{" + SlotTags.of(io.lettuce.core.cluster.SlotHash.getSlot(key)) + "}:" + TOKEN;
        return new LockKeys(name, key, key + ":" + WAKE, tokenKey);
    }

    /**
     * Another key of the same lock, in the same slot: {@code key + ":" + suffix}.
     *
     * @param suffix one of {@link #SUFFIXES} (so that no lock name can produce the same key)
     */
    public String derived(String suffix) {
        if (!SUFFIXES.contains(suffix)) {
            throw new IllegalArgumentException("not a reserved key suffix: " + suffix);
        }
        return key + ":" + suffix;
    }

    /**
     * The prefix of the per-holder keys of this lock, in the same slot: {@code key + ":waiter:"};
     * a holder's key is this prefix + its holder id.
     */
    public String perHolderPrefix() {
        return key + ":" + PER_HOLDER + ":";
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
