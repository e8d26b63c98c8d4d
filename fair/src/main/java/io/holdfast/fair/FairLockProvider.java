package io.holdfast.fair;

import io.holdfast.RLock;
import io.holdfast.reentrant.QueuedHashKind;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockProvider;
import io.holdfast.spi.LockType;
import java.util.List;

/** Makes {@code Holdfast.getFairLock(name)}: an {@linkplain io.holdfast.spi.ClientContext#newLock engine lock} over {@link FairKind}. */
public final class FairLockProvider implements LockProvider<RLock> {

    @Override
    public LockType<RLock> type() {
        return LockType.FAIR;
    }

    @Override
    public RLock create(ClientContext context, String name) {
        return context.newLock(context.component(FairKind.class, FairKind::new), context.keys(name));
    }

    @Override
    public List<LockKeys.KeySuffix> keySuffixes() {
        return QueuedHashKind.KEY_SUFFIXES;
    }
}
