package example.spi;

import io.holdfast.internal.AcquisitionEngine;
import io.holdfast.spi.LockKind;

final class UsesTheEngine {

    private UsesTheEngine() {
    }

    static Class<?> kind() {
        return LockKind.class;
    }

    static Class<?> engine() {
        return AcquisitionEngine.class;
    }
}
