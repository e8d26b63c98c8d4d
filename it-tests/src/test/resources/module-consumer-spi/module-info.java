// Like example.consumer, but reaches for the SPI and the engine: must not compile (io.holdfast.spi is
// exported to Holdfast's own modules only, io.holdfast.internal to none).
module example.spi {
    requires io.holdfast.core;
}
