package io.batanomaly.examples.spring;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.spi.AnomalyIdGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The documentation's own incident, so that its {@code curl} commands work as written: at
 * start-up, acme-corp's {@code payments/authorize} v7 has failed 2% of its evaluations for an
 * hour, then 34% for the last quarter of an hour, and the HIGH_FAILURE_RATE anomaly this opens
 * carries the documentation's example id {@value #ANOMALY_ID}. Switched on by
 * {@code sample.documented-incident=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "sample", name = "documented-incident", havingValue = "true")
public class DocumentedIncident {

  /** The id the documentation's examples use. */
  public static final String ANOMALY_ID = "anom-xyz789";

  /** The tenant of the incident. */
  public static final String TENANT = "acme-corp";

  /**
   * Ids as the engine makes them, except for the first anomaly of this incident.
   *
   * @return the generator the starter hands to the engine
   */
  @Bean
  AnomalyIdGenerator documentedIds() {
    AnomalyIdGenerator random = AnomalyIdGenerator.random();
    AtomicBoolean given = new AtomicBoolean();
    return finding -> TENANT.equals(finding.tenant())
        && "HIGH_FAILURE_RATE".equals(finding.type()) && "v7".equals(finding.versionId())
        && given.compareAndSet(false, true) ? ANOMALY_ID : random.newId(finding);
  }

  /**
   * Replays the incident into the engine once the application has started.
   *
   * @param engine the engine
   * @return the runner
   */
  @Bean
  ApplicationRunner replayDocumentedIncident(AnomalyEngine engine) {
    return (ApplicationArguments args) -> engine.ingest(events(engine.clock().instant()));
  }

  /**
   * Ten evaluations a minute for the 75 minutes up to {@code now}: 1 in 50 failing for an hour,
   * then 17 in 50.
   */
  static List<AuditEvent> events(Instant now) {
    List<AuditEvent> events = new ArrayList<>();
    Instant start = now.minus(Duration.ofMinutes(75));
    for (int i = 0; i < 750; i++) {
      int failing = i < 600 ? 1 : 17;
      events.add(AuditEvent.builder().tenant(TENANT).service("payments-api")
          .timestamp(start.plusSeconds(6L * i)).method("POST").status(200)
          .eventType("policy.evaluation")
          .policyModule("payments").policyFunction("authorize").versionId("v7")
          .outcome(i % 50 < failing ? Outcome.FAILURE : Outcome.SUCCESS)
          .executionTime(Duration.ofMillis(12))
          .build());
    }
    return events;
  }
}
