/**
 * The fault harness: real faults on sockets and processes the harness started itself, a workload
 * over every lock kind in child JVMs, and a checker of the recorded history.
 */
package io.holdfast.chaos;
