/**
 * Holdfast's quorum lock (Redlock over N independent masters, {@link io.holdfast.quorum.QuorumHoldfast})
 * and multi-lock ({@link io.holdfast.quorum.MultiLock}). Both are built over the public
 * {@link io.holdfast.RLock} API only: no script, no SPI. The quorum lock takes a reentrant lock on
 * every master, so {@code holdfast-reentrant} and {@code holdfast-watchdog} must be on the path.
 */
module io.holdfast.quorum {
    requires transitive io.holdfast.core;
    requires org.slf4j;

    exports io.holdfast.quorum;
}
