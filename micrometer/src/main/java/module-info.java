/**
 * Holdfast's Micrometer meters: {@link io.holdfast.micrometer.HoldfastMetrics}, an observer of a
 * Holdfast client and a Micrometer {@code MeterBinder}. Micrometer is the application's: this
 * module requires it only statically.
 */
@SuppressWarnings({"module", "requires-automatic"}) // Micrometer is an automatic module
module io.holdfast.micrometer {
    requires transitive io.holdfast.core;
    requires static transitive micrometer.core;

    exports io.holdfast.micrometer;
}
