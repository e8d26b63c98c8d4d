/**
 * Test fixtures for Holdfast: throwaway real Redis servers and child JVMs.
 *
 * <ul>
 *   <li>{@link io.holdfast.testkit.RedisServer} starts a real {@code redis-server} process on a
 *       free loopback port (or, when no binary is installed but Docker is, a {@code redis:7}
 *       container) and can kill, restart, pause and resume it.</li>
 *   <li>{@link io.holdfast.testkit.RedisServerExtension} gives a JUnit 5 test class one such
 *       server.</li>
 *   <li>{@link io.holdfast.testkit.RedisSentinelGroup} starts a master, replicas and sentinels
 *       (processes only), gives the sentinel URI, and kills or fails over the master.</li>
 *   <li>{@link io.holdfast.testkit.RedisClusterGroup} starts a Redis Cluster of masters and
 *       replicas (processes only), tells which node serves a key, kills a master and waits for
 *       its replica to take over, and migrates slots.</li>
 *   <li>{@link io.holdfast.testkit.ChildJvm} runs a main class in a separate JVM and lets a test
 *       wait for lines it prints, pause it, or kill it with SIGKILL.</li>
 * </ul>
 *
 * <p>Every wait in this package is bounded by a deadline; nothing synchronises by sleeping.
 * Pause and resume send {@code SIGSTOP}/{@code SIGCONT} with the {@code kill} command and so
 * need a POSIX system.
 */
package io.holdfast.testkit;
