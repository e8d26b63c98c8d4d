package io.holdfast.spring.boot;

import io.holdfast.Holdfast;
import io.holdfast.HoldfastObserver;
import io.holdfast.HoldfastOptions;
import io.holdfast.micrometer.HoldfastMetrics;
import io.holdfast.spring.integration.HoldfastLockRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of a {@link Holdfast} client from the {@code holdfast.*} properties
 * ({@link HoldfastProperties}), closed with the application context. Each bean backs off when the
 * application defines its own of that type.
 *
 * <ul>
 * <li>{@link HoldfastOptions}: the properties, then every {@link HoldfastOptionsCustomizer} bean, then
 *     the observer: every {@link HoldfastObserver} bean (the metrics and the loss tracker below among
 *     them) in {@code @Order}; with none, the client queues no event at all.</li>
 * <li>{@link Holdfast}: connected at start (the application fails to start if Redis cannot be
 *     reached), closed at shutdown.</li>
 * <li>{@link HoldfastMetrics}, when Micrometer is present and {@code holdfast.metrics.enabled} is not
 *     false: a {@code MeterBinder}, bound to the application's registry by Spring Boot's metrics
 *     support (Actuator).</li>
 * <li>{@link HoldfastHealthIndicator} and the {@link LeaseLossTracker} it reads, when Actuator is
 *     present and {@code management.health.holdfast.enabled} is not false.</li>
 * <li>{@link HoldfastLockRegistry}, when Spring Integration is present, no other
 *     {@code LockRegistry} bean is defined, and {@code holdfast.lock-registry.enabled} is not false.</li>
 * </ul>
 */
@AutoConfiguration
@ConditionalOnClass(Holdfast.class)
@EnableConfigurationProperties(HoldfastProperties.class)
public class HoldfastAutoConfiguration {

    /** Creates the auto-configuration; Spring calls it. */
    public HoldfastAutoConfiguration() {
    }

    /**
     * The client's options.
     *
     * @param properties the {@code holdfast.*} properties
     * @param customizers the customizer beans, in order
     * @param observers the observer beans, in order
     * @return the options
     */
    @Bean
    @ConditionalOnMissingBean
    public HoldfastOptions holdfastOptions(HoldfastProperties properties,
            ObjectProvider<HoldfastOptionsCustomizer> customizers, ObjectProvider<HoldfastObserver> observers) {
        HoldfastOptions.Builder builder = properties.toBuilder();
        customizers.orderedStream().forEach(c -> c.customize(builder));
        builder.observer(HoldfastObserver.composite(observers.orderedStream().toList()));
        return builder.build();
    }

    /**
     * The client, connected now and closed with the context.
     *
     * @param options the options
     * @return the client
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Holdfast holdfast(HoldfastOptions options) {
        return Holdfast.connect(options);
    }

    /** The meters, when Micrometer and holdfast-micrometer are on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry", "io.holdfast.micrometer.HoldfastMetrics"})
    @ConditionalOnProperty(prefix = "holdfast.metrics", name = "enabled", matchIfMissing = true)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        HoldfastMetrics holdfastMetrics() {
            return HoldfastMetrics.create();
        }
    }

    /** The health indicator, when Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    @ConditionalOnProperty(prefix = "management.health.holdfast", name = "enabled", matchIfMissing = true)
    static class HealthConfiguration {

        /** The lost-lease tracker the health indicator reads, an observer of the client. */
        @Bean
        @ConditionalOnMissingBean
        LeaseLossTracker holdfastLeaseLossTracker(HoldfastProperties properties) {
            return new LeaseLossTracker(properties.getHealth().getLostLeaseWindow());
        }

        @Bean
        @ConditionalOnMissingBean(name = "holdfastHealthIndicator")
        HoldfastHealthIndicator holdfastHealthIndicator(Holdfast holdfast, LeaseLossTracker losses) {
            return new HoldfastHealthIndicator(holdfast, losses);
        }
    }

    /** The lock registry, when Spring Integration is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.integration.support.locks.LockRegistry")
    @ConditionalOnProperty(prefix = "holdfast.lock-registry", name = "enabled", matchIfMissing = true)
    static class LockRegistryConfiguration {

        @Bean
        @ConditionalOnMissingBean(type = "org.springframework.integration.support.locks.LockRegistry")
        HoldfastLockRegistry holdfastLockRegistry(Holdfast holdfast, HoldfastProperties properties) {
            return new HoldfastLockRegistry(holdfast, properties.getLockRegistry().isFair());
        }
    }
}
