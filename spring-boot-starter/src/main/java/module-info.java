/**
 * Holdfast for Spring: the Spring Boot auto-configuration ({@code io.holdfast.spring.boot}) and a
 * Spring Integration {@code LockRegistry} ({@code io.holdfast.spring.integration}). Spring, Actuator,
 * Micrometer and Spring Integration are the application's: required only statically. Open to
 * reflection, as Spring needs for configuration classes.
 */
@SuppressWarnings({"module", "requires-automatic"}) // Spring and Micrometer are automatic modules
open module io.holdfast.spring {
    requires transitive io.holdfast.core;
    requires static io.holdfast.micrometer;
    requires org.slf4j;
    requires static spring.core;
    requires static spring.beans;
    requires static spring.context;
    requires static spring.boot;
    requires static spring.boot.autoconfigure;
    requires static spring.boot.actuator;
    requires static spring.integration.core;
    requires static micrometer.core;

    exports io.holdfast.spring.boot;
    exports io.holdfast.spring.integration;
}
