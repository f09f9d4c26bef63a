package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MixedBatchResolutionTest {
  private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

  /** Remembers the scope each event was observed with. */
  static final class Scopes implements DetectorProvider {
    final List<AuditEvent> events = new ArrayList<>();
    final List<ServiceScope> scopes = new ArrayList<>();

    @Override
    public String name() {
      return "scopes";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("SCOPES");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
          events.add(event);
          scopes.add(scope);
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return Reevaluation.cleared("nothing to re-evaluate", Map.of());
        }
      };
    }
  }

  private static AuditEvent event(String tenant, String service, long offset) {
    return AuditEvent.builder().tenant(tenant).service(service)
        .epochMillis(START.toEpochMilli() + offset).method("GET").status(200).build();
  }

  @Test
  void everyEventOfABatchMixingServicesAndTenantsIsObservedWithItsOwnScope() {
    // "Aa" and "BB" have the same hash code; equal names arrive as distinct String objects
    String[] names = {"Aa", "BB", new String("Aa"), "billing", new String("BB"), "Aa"};
    Scopes provider = new Scopes();
    try (AnomalyEngine engine = AnomalyEngine.builder().clock(new ManualClock(START))
        .autoTick(false).discoverDetectors(false).detector(provider).build()) {
      for (int round = 0; round < 3; round++) {
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          batch.add(event(i % 4 == 3 ? "globex" : "acme", names[i % names.length], i));
        }
        assertThat(engine.ingest(batch).accepted()).isEqualTo(60);
      }
      assertThat(engine.health().servicesTracked()).isEqualTo(6);
    }
    Map<ServiceScope, String> keyOf = new IdentityHashMap<>();
    for (int i = 0; i < provider.events.size(); i++) {
      AuditEvent e = provider.events.get(i);
      ServiceScope s = provider.scopes.get(i);
      assertThat(s.tenant()).isEqualTo(e.tenant());
      assertThat(s.service()).isEqualTo(e.service());
      String key = e.tenant() + "/" + e.service();
      assertThat(keyOf.computeIfAbsent(s, x -> key)).as("one scope per tenant and service")
          .isEqualTo(key);
    }
    assertThat(keyOf).hasSize(6);
  }
}
