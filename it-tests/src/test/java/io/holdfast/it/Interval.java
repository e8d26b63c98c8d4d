package io.holdfast.it;

/**
 * One critical section recorded by a child JVM: {@code [start, end]} in {@link System#nanoTime()},
 * which on one Linux machine reads one system-wide clock, so intervals of different processes can
 * be compared. Printed as {@code W|R|I <start> <end>}: a write, a read, or an exclusive hold.
 */
record Interval(boolean write, long start, long end) {

    static Interval parse(String line) {
        String[] f = line.split(" ");
        return new Interval(!f[0].equals("R"), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
