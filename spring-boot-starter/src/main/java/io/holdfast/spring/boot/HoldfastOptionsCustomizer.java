package io.holdfast.spring.boot;

import io.holdfast.HoldfastOptions;

/**
 * A bean of this type changes the auto-configured client's options after the {@code holdfast.*}
 * properties were applied, e.g. to set a lease listener or a callback executor. Customizers run in
 * their {@code @Order}; the observer is set after them (see {@link HoldfastAutoConfiguration}).
 */
@FunctionalInterface
public interface HoldfastOptionsCustomizer {

    /**
     * Changes the options being built.
     *
     * @param builder the builder, with the properties applied
     */
    void customize(HoldfastOptions.Builder builder);
}
