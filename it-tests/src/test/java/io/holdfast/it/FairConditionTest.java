package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;

/** The condition contract for {@link Holdfast#getFairLock}. */
@Tag("integration")
class FairConditionTest extends ConditionContract {

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getFairLock(name);
    }
}
