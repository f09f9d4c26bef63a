/**
 * Micrometer metrics for batanomaly: {@link io.batanomaly.micrometer.BatanomalyMetrics} binds an
 * engine's health snapshot to a {@code MeterRegistry} as {@code batanomaly.*} meters.
 */
package io.batanomaly.micrometer;
