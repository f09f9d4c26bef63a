package io.batanomaly.spring.boot;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.EngineHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The engine's health for Spring Boot Actuator: UP with the counters an operator looks at
 * first (detectors running, events accepted and rejected, active anomalies, detector errors,
 * notifications dropped, listener failures, failed verifications). Registered as
 * {@code batanomaly} in the health endpoint when Actuator's health support is present.
 */
public final class BatanomalyHealthIndicator extends AbstractHealthIndicator {
  private final AnomalyEngine engine;

  /**
   * Creates the indicator.
   *
   * @param engine the engine
   * @throws NullPointerException if {@code engine} is null
   */
  public BatanomalyHealthIndicator(AnomalyEngine engine) {
    super("batanomaly health check failed");
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    EngineHealth h = engine.health();
    builder.up()
        .withDetail("detectors", engine.detectorNames())
        .withDetail("eventsAccepted", h.eventsAccepted())
        .withDetail("eventsRejected", h.eventsRejectedTotal())
        .withDetail("anomaliesActive", h.anomaliesActive())
        .withDetail("detectorErrors", h.detectorErrors())
        .withDetail("notificationsDropped", h.notificationsDropped())
        .withDetail("listenerFailures", h.listenerFailures())
        .withDetail("verificationsFailed", h.verificationsFailed());
  }
}
