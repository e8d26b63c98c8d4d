// Like example.consumer, but reaches for the engine: must not compile (io.holdfast.spi is exported
// to Holdfast's own modules only).
module example.spi {
    requires io.holdfast.core;
}
