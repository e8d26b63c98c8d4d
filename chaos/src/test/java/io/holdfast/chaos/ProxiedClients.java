package io.holdfast.chaos;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.holdfast.RLock;
import io.holdfast.chaos.proxy.FaultProxy;
import io.holdfast.chaos.proxy.Link;
import io.holdfast.testkit.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The clients of one fault scenario: a proxy in front of the test's Redis, Holdfast clients
 * through it or straight to Redis, all closed together.
 */
final class ProxiedClients implements AutoCloseable {

    final FaultProxy proxy;
    private final RedisServerExtension redis;
    private final List<Holdfast> clients = new ArrayList<>();

    ProxiedClients(RedisServerExtension redis) {
        this.redis = redis;
        this.proxy = FaultProxy.start(redis.server().host(), redis.server().port());
    }

    /** A client whose connections go through the proxy. */
    Holdfast throughProxy(Consumer<HoldfastOptions.Builder> options) {
        HoldfastOptions.Builder builder = HoldfastOptions.builder(proxy.uri());
        options.accept(builder);
        return add(Holdfast.connect(builder.build()));
    }

    /** A client connected straight to Redis. */
    Holdfast direct() {
        return add(Holdfast.connect(redis.uri()));
    }

    /** The proxy's link that carries commands (not pub/sub); the client must have one only. */
    Link commandLink() {
        return proxy.links().stream().filter(l -> !l.isPubSub()).findFirst().orElseThrow();
    }

    /** The proxy's pub/sub link. */
    Link pubSubLink() {
        return proxy.links().stream().filter(Link::isPubSub).findFirst().orElseThrow();
    }

    static RLock lock(Holdfast client, String kind, String name) {
        return switch (kind) {
            case "default" -> client.getLock(name);
            case "fair" -> client.getFairLock(name);
            case "write" -> client.getReadWriteLock(name).writeLock();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private Holdfast add(Holdfast client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        proxy.clearFaults();
        clients.forEach(Holdfast::close);
        proxy.close();
    }
}
