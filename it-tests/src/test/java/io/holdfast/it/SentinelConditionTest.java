package io.holdfast.it;

import io.holdfast.Holdfast;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The condition contract of {@link Holdfast#getLock} through Sentinels (a master, two replicas, three Sentinels). */
@Tag("integration")
class SentinelConditionTest extends ConditionContract {

    @RegisterExtension
    static final SentinelTopology sentinels = new SentinelTopology();

    @Override
    protected ContractTopology topology() {
        return sentinels;
    }

    @Override
    protected RLock lockOf(Holdfast client, String name) {
        return client.getLock(name);
    }
}
