package io.holdfast.readwrite;

import io.holdfast.RReadWriteLock;
import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockProvider;
import io.holdfast.spi.LockType;
import java.util.List;

/** Makes {@code Holdfast.getReadWriteLock(name)}: read and write {@code EngineLock}s over one name. */
public final class ReadWriteLockProvider implements LockProvider<RReadWriteLock> {

    @Override
    public LockType<RReadWriteLock> type() {
        return LockType.READ_WRITE;
    }

    @Override
    public RReadWriteLock create(ClientContext context, String name) {
        return new EngineReadWriteLock(context, context.keys(name));
    }

    @Override
    public List<LockKeys.KeySuffix> keySuffixes() {
        return ReadWriteKind.KEY_SUFFIXES;
    }
}
