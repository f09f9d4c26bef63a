package io.batanomaly.jdbc;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.Severity;
import io.batanomaly.notify.Audience;
import io.batanomaly.notify.WebhookNotifier;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host process of {@link CrashRestartTest}, run in a JVM of its own. Its configuration comes
 * from the environment alone ({@code ANOMALY_JDBC_URL}, {@code ANOMALY_WEBHOOK_*}).
 *
 * <ul>
 *   <li>{@code produce <n> <tenantTargetUrl>}: registers a webhook target for tenant
 *       {@code acme-corp} with the secret of {@code TENANT_SECRET}, opens {@code n} anomalies,
 *       waits until each delivery is recorded and has failed once (the receiver is down), prints
 *       {@code PENDING <count>} and waits to be killed;</li>
 *   <li>{@code resume <deliveries>}: starts again on the same database, prints
 *       {@code RESUMED <count>}, and exits once that many deliveries are acknowledged.</li>
 * </ul>
 */
public final class CrashHost {
  private CrashHost() {}

  /** Opens one anomaly per identifier it sees. */
  static final class EveryEvent implements DetectorProvider {
    @Override
    public String name() {
      return "every_event";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("TEST_ALERT");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
          sink.report(Finding.builder(event.tenant(), "TEST_ALERT", event.identifier())
              .service(event.service()).severity(Severity.HIGH)
              .summary("alert for " + event.identifier()).build());
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return Reevaluation.stillHolds("still there", Map.of());
        }
      };
    }
  }

  /**
   * Runs the host.
   *
   * @param args {@code produce <n> <tenantTargetUrl>} or {@code resume <deliveries>}
   * @throws Exception if the host fails
   */
  public static void main(String[] args) throws Exception {
    AnomalyEngine engine = AnomalyEngine.builder().config(AnomalyConfig.fromEnvironment())
        .autoTick(false).discoverDetectors(false).detector(new EveryEvent()).build();
    WebhookNotifier webhooks = engine.notifier(WebhookNotifier.class).orElseThrow();
    if (args[0].equals("produce")) {
      int n = Integer.parseInt(args[1]);
      webhooks.targets().addWebhook(Audience.of("acme-corp"), URI.create(args[2]),
          System.getenv("TENANT_SECRET"));
      for (int i = 0; i < n; i++) {
        engine.ingest(List.of(AuditEvent.builder().tenant("acme-corp").service("billing")
            .timestamp(Instant.now()).method("POST").status(401).identifier("10.0.0." + i)
            .build()));
      }
      int deliveries = 2 * n;
      // every delivery recorded in the outbox, and tried against the receiver that is down
      while (webhooks.stats().submitted() < deliveries
          || webhooks.stats().retries() < deliveries) {
        Thread.sleep(10);
      }
      System.out.println("PENDING " + webhooks.stats().pending());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    } else {
      int expected = Integer.parseInt(args[1]);
      System.out.println("RESUMED " + webhooks.stats().resumed());
      System.out.flush();
      while (webhooks.stats().delivered() < expected) {
        Thread.sleep(10);
      }
      engine.close();
      System.out.println("DONE " + webhooks.stats().delivered());
      System.out.flush();
    }
  }
}
