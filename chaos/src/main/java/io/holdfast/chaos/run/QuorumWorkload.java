package io.holdfast.chaos.run;

import io.holdfast.Holdfast;
import io.holdfast.Lease;
import io.holdfast.RLock;
import io.holdfast.quorum.MultiLock;
import io.holdfast.quorum.QuorumHoldfast;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workload of a worker in quorum mode ({@code ./holdfast chaos --quorum N}): the worker has one
 * {@link Holdfast} client per master, each through its own fault proxy, and a {@link QuorumHoldfast}
 * over them. A cycle takes (half the time) a quorum lock {@code q<i>} (role {@code Q}); or (a third)
 * a {@link MultiLock} over 2–3 of the member locks, in a random order (role {@code M}); or (the rest)
 * one member lock alone, so that the multi-lock's all-or-none is checked against single holders too.
 *
 * <p>Member locks live each on one master and each has one kind: {@code m0} default lock on master 0,
 * {@code m1} default lock on master 1, {@code m2} fair lock on master 2, {@code m3} read-write lock
 * on master 3 (read or write, drawn per use), {@code m4} default lock on master 0 again; master
 * indexes modulo N. A multi-lock over {@code m0} and {@code m4} (one client, kind and server) takes
 * those two in one all-or-none script call.
 *
 * <p>What a hold is written as needs the member leases of a group hold, which the quorum module does
 * not publish: {@link #memberLeases} reads them by reflection (the harness runs on the class path).
 */
final class QuorumWorkload {

    /** Member lock names and kinds: x default, f fair, r read-write. */
    static final List<String> MEMBERS = List.of("m0", "m1", "m2", "m3", "m4");
    private static final String MEMBER_KINDS = "xxfrx";
    /** The master of each member (modulo N). */
    private static final int[] MEMBER_MASTERS = {0, 1, 2, 3, 0};

    private final List<Holdfast> masters;
    private final QuorumHoldfast quorum;
    private final List<String> quorumNames;
    private final Map<String, RLock> multiLocks = new ConcurrentHashMap<>();
    /** Per multi-lock object: its members' roles in member order (by name). */
    private final Map<RLock, String> memberRoles = new ConcurrentHashMap<>();

    QuorumWorkload(List<Holdfast> masters, int perKind) {
        this.masters = List.copyOf(masters);
        this.quorum = QuorumHoldfast.over(masters).watchdogLease(ChaosWorker.WATCHDOG_LEASE).build();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < (perKind > 0 ? perKind : 3); i++) {
            names.add("q" + i);
        }
        this.quorumNames = List.copyOf(names);
    }

    /** One lock for a cycle and the role it is recorded with. */
    record Choice(RLock lock, char role) {
    }

    Choice pick(Random random) {
        int r = random.nextInt(100);
        if (r < 50) {
            return new Choice(quorum.getQuorumLock(quorumNames.get(random.nextInt(quorumNames.size()))), 'Q');
        }
        if (r < 85) {
            List<String> names = new ArrayList<>(MEMBERS);
            java.util.Collections.shuffle(names, random);
            List<String> picked = names.subList(0, 2 + random.nextInt(2));
            List<Character> roles = picked.stream().map(n -> role(n, random)).toList();
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < picked.size(); i++) {
                key.append(picked.get(i)).append(roles.get(i)).append(' ');
            }
            RLock multi = multiLocks.computeIfAbsent(key.toString(), k -> multi(picked, roles));
            return new Choice(multi, 'M');
        }
        String name = MEMBERS.get(random.nextInt(MEMBERS.size()));
        char role = role(name, random);
        return new Choice(member(name, role), role);
    }

    private RLock multi(List<String> names, List<Character> roles) {
        List<RLock> locks = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            locks.add(member(names.get(i), roles.get(i)));
        }
        RLock multi = MultiLock.of(locks.toArray(RLock[]::new));
        StringBuilder inOrder = new StringBuilder();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(names::get));
        order.forEach(i -> inOrder.append(roles.get(i)));
        memberRoles.put(multi, inOrder.toString());
        return multi;
    }

    private static char role(String member, Random random) {
        return switch (MEMBER_KINDS.charAt(MEMBERS.indexOf(member))) {
            case 'x' -> 'X';
            case 'f' -> 'F';
            default -> random.nextInt(3) == 0 ? 'W' : 'R';
        };
    }

    private RLock member(String name, char role) {
        Holdfast master = masters.get(MEMBER_MASTERS[MEMBERS.indexOf(name)] % masters.size());
        return switch (role) {
            case 'X' -> master.getLock(name);
            case 'F' -> master.getFairLock(name);
            case 'W' -> master.getReadWriteLock(name).writeLock();
            default -> master.getReadWriteLock(name).readLock();
        };
    }

    /** The roles of a multi-lock's members in member order (the order of {@link #memberLeases}). */
    String memberRoles(RLock multi) {
        return memberRoles.get(multi);
    }

    int masterCount() {
        return masters.size();
    }

    /**
     * The member leases of a quorum or multi-lock lease, in member order (null where a master did not
     * grant): read by reflection from the quorum module's package-private {@code GroupHold}.
     */
    static Lease[] memberLeases(Lease groupLease) {
        try {
            Field hold = groupLease.getClass().getDeclaredField("hold");
            hold.setAccessible(true);
            Object h = hold.get(groupLease);
            Method members = h.getClass().getDeclaredMethod("members");
            members.setAccessible(true);
            return (Lease[]) members.invoke(h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the member leases of " + groupLease
                    + " (the quorum module's GroupLease/GroupHold changed?)", e);
        }
    }

    void close() {
        quorum.close();
    }
}
