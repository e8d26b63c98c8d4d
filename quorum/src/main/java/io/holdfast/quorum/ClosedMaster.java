package io.holdfast.quorum;

import io.holdfast.RLock;
import java.lang.reflect.Proxy;

/**
 * The member lock of a master whose client was closed (a quorum client made with
 * {@link QuorumHoldfast#over}, over clients the caller may close): every call throws
 * {@link IllegalStateException}, as a closed client's lock does, so the quorum counts that master
 * as one that did not answer, like a master that is down, instead of failing the whole lock.
 */
final class ClosedMaster {

    private ClosedMaster() {
    }

    static RLock lock(String name, String label) {
        return (RLock) Proxy.newProxyInstance(RLock.class.getClassLoader(), new Class<?>[] {RLock.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "toString" -> "RLock[" + name + " on " + label + ", whose client is closed]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new IllegalStateException("the client of " + label + " is closed");
                });
    }
}
