package io.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockKeysTest {

    @Test
    void tokenKey_isInTheLocksSlot_andSharedByEveryLockOfThatSlot() {
        for (String name : new String[] {"orders:42", "a", "{tagged}:name", "ünïcode", "x".repeat(300)}) {
            LockKeys keys = LockKeys.of("holdfast:", name);
            assertThat(SlotHash.getSlot(keys.tokenKey())).as(name).isEqualTo(SlotHash.getSlot(keys.key()));
            assertThat(keys.tokenKey()).matches("holdfast:\\{[0-9a-z]+}:token");
        }
        // two names of one slot share one token key: keys grow with slots, never with names
        LockKeys a = LockKeys.of("p:", "{same}one");
        LockKeys b = LockKeys.of("p:", "{same}two");
        assertThat(a.tokenKey()).isEqualTo(b.tokenKey());
    }

    @Test
    void slotTags_coverEverySlot() {
        for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
            assertThat(SlotHash.getSlot(SlotTags.of(slot))).isEqualTo(slot);
        }
    }

    @Test
    void aTaggedNameEndingWithTheTokenSuffix_isRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> LockKeys.of("holdfast:", "{a}:token"));
    }

    @Test
    void aTaggedNameProducingAReservedKey_isRefused_andOtherTaggedNamesAreNot() {
        List<LockKeys.KeySuffix> reserved = List.of(new LockKeys.KeySuffix("queue", false), new LockKeys.KeySuffix("waiter", true));
        for (String name : new String[] {"{a}:queue", "{a}:waiter", "{a}:waiter:h:1", "{a}:wake"}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().as(name)
                    .isThrownBy(() -> LockKeys.of("holdfast:", name, reserved)).withMessageContaining("another lock's");
        }
        assertThat(LockKeys.of("holdfast:", "{a}:queue:x", reserved).key()).isEqualTo("holdfast:{a}:queue:x");
        assertThat(LockKeys.of("holdfast:", "{a}:queue").key()).as("no kind reserves it").isEqualTo("holdfast:{a}:queue");
        LockKeys keys = LockKeys.of("holdfast:", "a", reserved);
        assertThat(keys.derived(reserved.get(0))).isEqualTo("holdfast:{a}:queue");
        assertThat(keys.derived(reserved.get(1))).isEqualTo("holdfast:{a}:waiter:");
    }

    @Test
    void aTaggedNameProducingAConditionKey_isRefused() {
        for (String name : new String[] {"{a}:condition:x", "{a}:condition", "{a}:condition-deadlines:x"}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().as(name)
                    .isThrownBy(() -> LockKeys.of("holdfast:", name)).withMessageContaining("another lock's");
        }
        LockKeys keys = LockKeys.of("holdfast:", "a");
        assertThat(keys.derived(LockKeys.CONDITION) + "x").isEqualTo("holdfast:{a}:condition:x");
        assertThat(keys.derived(LockKeys.CONDITION_DEADLINES) + "x").isEqualTo("holdfast:{a}:condition-deadlines:x");
    }
}
