package io.holdfast.chaos.proxy;

/** One direction of a proxied connection. */
public enum Direction {
    /** Bytes the client sends to Redis: commands. */
    TO_SERVER,
    /** Bytes Redis sends to the client: replies and pub/sub messages. */
    TO_CLIENT
}
