package io.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.LockInspector;
import io.holdfast.LockState;
import io.holdfast.RLock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LockInspector} through Sentinels: it reads the master the Sentinels name. */
@Tag("integration")
class SentinelLockInspectorTest {

    @RegisterExtension
    static final SentinelTopology sentinels = new SentinelTopology();

    @Test
    void aLockHeldThroughSentinels_isReadOnTheMaster_byAnInspectorOfItsOwn_andByTheClients() throws Exception {
        try (Holdfast a = Holdfast.connect(sentinels.uri());
                LockInspector own = LockInspector.connect(HoldfastOptions.builder(sentinels.uri()).build())) {
            RLock lock = a.getLock("orders:9");
            lock.lock();
            try {
                for (LockInspector inspector : new LockInspector[] {own, a.inspector()}) {
                    LockState state = inspector.inspect("orders:9").orElseThrow();
                    assertThat(state.holders()).singleElement().satisfies(h -> {
                        assertThat(h.holderId()).isEqualTo(a.clientId() + ":" + Thread.currentThread().getId());
                        assertThat(h.process().pid()).isEqualTo(ProcessHandle.current().pid());
                    });
                    assertThat(inspector.scan("orders:*", 10)).extracting(LockState::name).containsExactly("orders:9");
                }
                assertThat(sentinels.master().commands().exists("holdfast:{orders:9}")).isEqualTo(1);
            } finally {
                lock.unlock();
            }
            assertThat(own.inspect("orders:9")).isEmpty();
        }
    }
}
