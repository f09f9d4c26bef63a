package io.batanomaly.spring.boot;

import io.batanomaly.AnomalyEngine;

/**
 * Adjusts the {@link AnomalyEngine.Builder} the auto-configuration builds the engine with, after
 * it has applied the {@code batanomaly.*} properties and the listener, detector, repository and
 * id-generator beans. Declare one or more as beans; they run in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * AnomalyEngineCustomizer verificationPool(Executor executor) {
 *   return builder -> builder.verificationExecutor(executor);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface AnomalyEngineCustomizer {

  /**
   * Adjusts the builder.
   *
   * @param builder the builder, configured from the properties and beans
   */
  void customize(AnomalyEngine.Builder builder);
}
