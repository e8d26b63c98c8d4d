package io.holdfast.micrometer;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastOptions;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Micrometer snippet of {@code README.md}, between {@code // readme:begin} and
 * {@code // readme:end}: it-tests' {@code ReadmeSnippetsTest} checks that the README quotes it, and
 * {@link ReadmeMetricsSnippetsTest} runs it against a real redis-server.
 */
class ReadmeMetricsSnippets {

    Holdfast connect(String uri, MeterRegistry registry) {
        // readme:begin
        HoldfastMetrics metrics = HoldfastMetrics.builder()
                .lockNameTag(name -> name.contains(":") ? name.substring(0, name.indexOf(':')) : "other") // opt-in
                .build();
        Holdfast holdfast = Holdfast.connect(HoldfastOptions.builder(uri).observer(metrics).build());
        metrics.bindTo(registry); // e.g. Prometheus: holdfast_lock_wait_seconds{kind,outcome,lock}
        // readme:end
        return holdfast;
    }
}
