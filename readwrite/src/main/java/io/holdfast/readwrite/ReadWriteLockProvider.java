package io.holdfast.readwrite;

import io.holdfast.spi.ClientContext;
import io.holdfast.spi.LockKeys;
import io.holdfast.spi.LockProvider;
import java.util.List;

/** Makes {@code Holdfast.getReadWriteLock(name)}: read and write {@code EngineLock}s over one name. */
public final class ReadWriteLockProvider implements LockProvider {

    @Override
    public String kind() {
        return "readwrite";
    }

    @Override
    public Object create(ClientContext context, String name) {
        return new EngineReadWriteLock(context, context.keys(name));
    }

    @Override
    public List<LockKeys.KeySuffix> keySuffixes() {
        return ReadWriteKind.KEY_SUFFIXES;
    }
}
