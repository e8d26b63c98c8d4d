/**
 * Holdfast's quorum lock (Redlock over N independent masters, {@link io.holdfast.quorum.QuorumHoldfast})
 * and multi-lock ({@link io.holdfast.quorum.MultiLock}). Both are built over the public
 * {@link io.holdfast.RLock} API and no script of their own; the one exception is the multi-lock's
 * one-call attempt on members of one slot, through core's {@code io.holdfast.spi.TakenTogether}. The quorum lock takes a reentrant lock on
 * every master, so {@code holdfast-reentrant} and {@code holdfast-watchdog} must be on the path.
 */
module io.holdfast.quorum {
    requires transitive io.holdfast.core;
    requires org.slf4j;

    exports io.holdfast.quorum;
}
