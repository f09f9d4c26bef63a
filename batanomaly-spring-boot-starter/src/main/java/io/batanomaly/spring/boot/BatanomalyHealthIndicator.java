package io.batanomaly.spring.boot;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.EngineHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The engine's health for Spring Boot Actuator, registered as {@code batanomaly} in the health
 * endpoint when Actuator's health support is present. DOWN while the anomaly store does not
 * answer (findings wait in a bounded buffer meanwhile, and ingest goes on), UP otherwise; the
 * details carry what an operator looks at first: the store and the findings waiting for it, the
 * detectors running, events accepted and rejected, active anomalies, detector errors,
 * notifications dropped, listener failures and failed verifications.
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
    if (h.storeAvailable()) {
      builder.up();
    } else {
      builder.down();
    }
    builder.withDetail("store", engine.storeDescription())
        .withDetail("storeAvailable", h.storeAvailable())
        .withDetail("findingsBuffered", h.findingsBuffered())
        .withDetail("findingsOverflowed", h.findingsOverflowed())
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
