package io.holdfast.spi;

/**
 * Identifies one hold in the client: which lock key, which role on it (a read and a write hold of
 * one holder are two holds), which holder.
 */
public record HoldKey(String lockKey, String role, String holderId) {
}
