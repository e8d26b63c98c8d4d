/**
 * The fault proxy: {@link io.holdfast.chaos.proxy.FaultProxy} in front of one Redis server, one
 * {@link io.holdfast.chaos.proxy.Link} per client connection, faults per link or proxy-wide.
 */
package io.holdfast.chaos.proxy;
