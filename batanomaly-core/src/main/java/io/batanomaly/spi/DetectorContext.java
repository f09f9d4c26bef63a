package io.batanomaly.spi;

import io.batanomaly.AnomalyConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a {@link DetectorProvider} gets to build its detector: the configuration, the clock,
 * and the means to attach state to tenants and services.
 */
public interface DetectorContext {

  /** @return the engine configuration, already validated */
  AnomalyConfig config();

  /** @return the engine clock: the one time source for everything not driven by event time */
  InstantSource clock();

  /** @return how far behind a tenant's newest event time an event is still accepted */
  Duration allowedLateness();

  /**
   * Declares per-service state. Only callable while the detector is being created.
   *
   * @param factory creates the state of a service on first access
   * @param <T> the state type
   * @return the key to read it with
   * @throws IllegalStateException if called after the engine was built
   */
  <T> Attachment<T> serviceAttachment(Function<ServiceScope, T> factory);

  /**
   * Declares per-tenant state. Only callable while the detector is being created.
   *
   * @param factory creates the state of a tenant on first access
   * @param <T> the state type
   * @return the key to read it with
   * @throws IllegalStateException if called after the engine was built
   */
  <T> Attachment<T> tenantAttachment(Function<TenantScope, T> factory);

  /**
   * Visits every tenant the engine tracks, for time-driven checks in {@link Detector#tick}.
   *
   * @param visitor receives each tenant scope
   */
  void forEachTenant(Consumer<TenantScope> visitor);
}
