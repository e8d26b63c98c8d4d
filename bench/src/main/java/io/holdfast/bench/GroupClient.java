package io.holdfast.bench;

import io.holdfast.Holdfast;
import io.holdfast.quorum.MultiLock;
import io.holdfast.quorum.QuorumHoldfast;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.redisson.Redisson;
import org.redisson.RedissonMultiLock;
import org.redisson.RedissonRedLock;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * One client of the quorum scenarios' five masters, per library: Holdfast's {@link QuorumHoldfast}
 * (one {@code Holdfast} per master); Redisson's {@code RedissonRedLock} and
 * {@code RedissonMultiLock} over one {@code RedissonClient} per master; or the floor, one Lettuce
 * connection per master whose "lock" is one trivial {@code EVALSHA} on each member's master, all
 * sent at once.
 */
interface GroupClient extends AutoCloseable {

    /** The quorum lock {@code name} over the five masters (Redisson: its RedLock). */
    Lock quorum(String name);

    /** The multi-lock over {@code names.get(i)} on master {@code i}. */
    Lock multi(List<String> names);

    /** The multi-lock over {@code names}, all on master 0, of one client. */
    Lock multiOnOneServer(List<String> names);

    /** One standalone lock {@code name} on master 0: what the 1.3x latency target compares with. */
    Lock standalone(String name);

    @Override
    void close();

    static GroupClient connect(Library library, List<String> uris, Duration lease) {
        return switch (library) {
            case HOLDFAST -> new HoldfastGroup(QuorumHoldfast.builder(uris.toArray(String[]::new)).watchdogLease(lease).build(),
                    uris);
            case REDISSON -> RedissonGroup.connect(uris, lease);
            case FLOOR -> new FloorGroup(uris);
            case SPRING -> throw new IllegalArgumentException("Spring's RedisLockRegistry has no quorum or multi-lock");
        };
    }

    /** Holdfast: the quorum client, and its master clients for the multi-lock members and the standalone lock. */
    final class HoldfastGroup implements GroupClient {
        private final QuorumHoldfast quorum;
        /** The master clients in the order of the URIs given (the quorum client sorts them). */
        private final List<Holdfast> masters = new ArrayList<>();

        HoldfastGroup(QuorumHoldfast quorum, List<String> uris) {
            this.quorum = quorum;
            List<String> sorted = uris.stream().sorted().toList();
            for (String uri : uris) {
                masters.add(quorum.masters().get(sorted.indexOf(uri)));
            }
        }

        @Override
        public Lock quorum(String name) {
            return quorum.getQuorumLock(name);
        }

        @Override
        public Lock multi(List<String> names) {
            List<io.holdfast.RLock> members = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                members.add(masters.get(i).getLock(names.get(i)));
            }
            return MultiLock.of(members.toArray(io.holdfast.RLock[]::new));
        }

        @Override
        public Lock multiOnOneServer(List<String> names) {
            return MultiLock.of(names.stream().map(masters.get(0)::getLock).toArray(io.holdfast.RLock[]::new));
        }

        @Override
        public Lock standalone(String name) {
            return masters.get(0).getLock(name);
        }

        @Override
        public void close() {
            quorum.close();
        }
    }

    /** Redisson: one client per master; its RedLock (deprecated, still in 4.x) and MultiLock. */
    final class RedissonGroup implements GroupClient {
        private final List<RedissonClient> clients;

        private RedissonGroup(List<RedissonClient> clients) {
            this.clients = clients;
        }

        static RedissonGroup connect(List<String> uris, Duration lease) {
            List<RedissonClient> clients = new ArrayList<>();
            try {
                for (String uri : uris) {
                    Config config = new Config();
                    config.useSingleServer().setAddress(uri);
                    config.setLockWatchdogTimeout(lease.toMillis());
                    clients.add(Redisson.create(config));
                }
            } catch (RuntimeException e) {
                clients.forEach(RedissonClient::shutdown);
                throw e;
            }
            return new RedissonGroup(clients);
        }

        @Override
        @SuppressWarnings("deprecation")
        public Lock quorum(String name) {
            return new RedissonRedLock(clients.stream().map(c -> c.getLock(name)).toArray(org.redisson.api.RLock[]::new));
        }

        @Override
        public Lock multi(List<String> names) {
            org.redisson.api.RLock[] members = new org.redisson.api.RLock[names.size()];
            for (int i = 0; i < names.size(); i++) {
                members[i] = clients.get(i).getLock(names.get(i));
            }
            return new RedissonMultiLock(members);
        }

        @Override
        public Lock multiOnOneServer(List<String> names) {
            return new RedissonMultiLock(names.stream().map(clients.get(0)::getLock).toArray(org.redisson.api.RLock[]::new));
        }

        @Override
        public Lock standalone(String name) {
            return clients.get(0).getLock(name);
        }

        @Override
        public void close() {
            clients.forEach(RedissonClient::shutdown);
        }
    }

    /**
     * The floor: not a lock. Every {@code lock()} and {@code unlock()} is one {@code EVALSHA} of
     * {@code return 1} on each member's master, all sent at once and awaited together: the parallel
     * round trips alone, which no lock over those masters can beat.
     */
    final class FloorGroup implements GroupClient {
        private static final String SCRIPT = "return 1";
        private final List<RedisClient> clients = new ArrayList<>();
        private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        private final String sha;

        FloorGroup(List<String> uris) {
            String loaded = null;
            for (String uri : uris) {
                RedisClient c = RedisClient.create(uri);
                clients.add(c);
                StatefulRedisConnection<String, String> conn = c.connect();
                connections.add(conn);
                loaded = conn.sync().scriptLoad(SCRIPT);
            }
            this.sha = loaded;
        }

        @Override
        public Lock quorum(String name) {
            return new RoundTrips(connections.size());
        }

        @Override
        public Lock multi(List<String> names) {
            return new RoundTrips(names.size());
        }

        /** One script call on master 0 takes them all: one round trip. */
        @Override
        public Lock multiOnOneServer(List<String> names) {
            return new RoundTrips(1);
        }

        @Override
        public Lock standalone(String name) {
            return new RoundTrips(1);
        }

        @Override
        public void close() {
            connections.forEach(StatefulRedisConnection::close);
            clients.forEach(RedisClient::shutdown);
        }

        /** One EVALSHA on each of the first {@code n} masters at once, per call. */
        private final class RoundTrips implements Lock {
            private final int n;

            RoundTrips(int n) {
                this.n = n;
            }

            private void call() {
                CompletableFuture<?>[] calls = new CompletableFuture<?>[n];
                for (int i = 0; i < n; i++) {
                    calls[i] = connections.get(i).async().evalsha(sha, ScriptOutputType.INTEGER).toCompletableFuture();
                }
                CompletableFuture.allOf(calls).join();
            }

            @Override
            public void lock() {
                call();
            }

            @Override
            public void lockInterruptibly() {
                call();
            }

            @Override
            public boolean tryLock() {
                call();
                return true;
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) {
                call();
                return true;
            }

            @Override
            public void unlock() {
                call();
            }

            @Override
            public Condition newCondition() {
                throw new UnsupportedOperationException();
            }
        }
    }
}
