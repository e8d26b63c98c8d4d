package io.holdfast.reentrant;

import io.holdfast.RLock;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockProvider;
import io.holdfast.spi.LockType;
import java.util.List;

/** Makes {@code Holdfast.getLock(name)}: an {@linkplain io.holdfast.spi.ClientContext#newLock engine lock} over {@link ReentrantKind}. */
public final class ReentrantLockProvider implements LockProvider<RLock> {

    @Override
    public LockType<RLock> type() {
        return LockType.REENTRANT;
    }

    @Override
    public RLock create(ClientContext context, String name) {
        return context.newLock(context.component(ReentrantKind.class, ReentrantKind::new), context.keys(name));
    }

    @Override
    public List<LockKeys.KeySuffix> keySuffixes() {
        return QueuedHashKind.KEY_SUFFIXES;
    }
}
