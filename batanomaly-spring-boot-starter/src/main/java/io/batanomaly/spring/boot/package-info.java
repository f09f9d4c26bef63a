/**
 * Spring Boot auto-configuration for batanomaly: the engine from {@code batanomaly.*}
 * properties, the triage endpoints over Spring MVC and Spring Security, an Actuator health
 * indicator, Micrometer meters and an opt-in audit filter. See
 * {@link io.batanomaly.spring.boot.BatanomalyAutoConfiguration}.
 */
package io.batanomaly.spring.boot;
