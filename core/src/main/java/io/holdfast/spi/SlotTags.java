package io.holdfast.spi;

import io.lettuce.core.cluster.SlotHash;

/**
 * One short hash tag per Redis Cluster slot: {@code of(s)} is a string whose slot is {@code s}. It
 * lets a script reach a key shared by every lock of one slot (the slot's fencing-token key, see
 * {@link LockKeys#tokenKey()}) while every key it touches stays in its lock's slot. The table is
 * found once, by counting up in base 36 until every slot has a tag (about 160,000 CRC16s).
 */
final class SlotTags {

    private static final String[] TAGS = build();

    private SlotTags() {
    }

    /** The tag of {@code slot}, 0 to 16383. */
    static String of(int slot) {
        return TAGS[slot];
    }

    private static String[] build() {
        String[] tags = new String[SlotHash.SLOT_COUNT];
        int missing = tags.length;
        for (long n = 0; missing > 0; n++) {
            String candidate = Long.toString(n, 36);
            int slot = SlotHash.getSlot(candidate);
            if (tags[slot] == null) {
                tags[slot] = candidate;
                missing--;
            }
        }
        return tags;
    }
}
