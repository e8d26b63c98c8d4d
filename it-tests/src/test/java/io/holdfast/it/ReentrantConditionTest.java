package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The condition contract for {@link Holdfast#getLock}. */
@Tag("integration")
class ReentrantConditionTest extends ConditionContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }

    @Test
    void readAndWriteLocks_haveNoConditions() {
        assertThatThrownBy(() -> a.getReadWriteLock("rw").readLock().newCondition())
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'rw'");
        assertThatThrownBy(() -> a.getReadWriteLock("rw").writeLock().newCondition("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
