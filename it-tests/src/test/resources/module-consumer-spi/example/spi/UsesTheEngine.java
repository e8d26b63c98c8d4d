package example.spi;

import io.holdfast.spi.LockKind;

final class UsesTheEngine {

    private UsesTheEngine() {
    }

    static Class<?> kind() {
        return LockKind.class;
    }
}
