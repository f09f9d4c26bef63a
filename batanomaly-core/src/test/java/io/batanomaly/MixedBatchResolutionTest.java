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

  /** Records, per batch, each event's scope and service index as a batch detector sees them. */
  static final class Indexes implements DetectorProvider {
    final List<List<ServiceScope>> scopes = new ArrayList<>();
    final List<int[]> indexes = new ArrayList<>();
    final List<Integer> counts = new ArrayList<>();
    final List<List<ServiceScope>> serviceScopes = new ArrayList<>();
    final List<String> outOfRange = new ArrayList<>();

    @Override
    public String name() {
      return "indexes";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("INDEXES");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
          throw new AssertionError("the engine calls the batch method");
        }

        @Override
        public void observe(io.batanomaly.spi.AcceptedEvents events, FindingSink sink) {
          List<ServiceScope> batchScopes = new ArrayList<>();
          int[] batchIndexes = new int[events.size()];
          for (int i = 0; i < events.size(); i++) {
            batchScopes.add(events.scope(i));
            batchIndexes[i] = events.serviceIndex(i);
          }
          scopes.add(batchScopes);
          indexes.add(batchIndexes);
          counts.add(events.serviceCount());
          List<ServiceScope> byIndex = new ArrayList<>();
          for (int k = 0; k < events.serviceCount(); k++) {
            byIndex.add(events.serviceScope(k));
          }
          serviceScopes.add(byIndex);
          try {
            events.serviceScope(events.serviceCount());
            outOfRange.add("no exception");
          } catch (IndexOutOfBoundsException expected) {
            outOfRange.add("thrown");
          }
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return Reevaluation.cleared("nothing to re-evaluate", Map.of());
        }
      };
    }
  }

  @Test
  void eachBatchNumbersItsServicesDenselyOneIndexPerScope() {
    // 700 services in one batch (more than the table starts with), names that collide in
    // hash code, equal names as distinct String objects, two tenants
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 2_100; i++) {
      String service = i % 7 == 0 ? (i % 2 == 0 ? "Aa" : "BB") : "svc-" + (i % 700);
      batch.add(event(i % 5 == 0 ? "globex" : "acme", new String(service), i));
    }
    Indexes provider = new Indexes();
    try (AnomalyEngine engine = AnomalyEngine.builder().clock(new ManualClock(START))
        .autoTick(false).discoverDetectors(false).detector(provider).build()) {
      for (int round = 0; round < 2; round++) {
        assertThat(engine.ingest(batch).accepted()).isEqualTo(batch.size());
      }
    }
    assertThat(provider.counts).hasSize(2);
    for (int b = 0; b < 2; b++) {
      List<ServiceScope> scopes = provider.scopes.get(b);
      int[] indexes = provider.indexes.get(b);
      Map<ServiceScope, Integer> indexOf = new IdentityHashMap<>();
      Map<Integer, ServiceScope> scopeOf = new java.util.HashMap<>();
      for (int i = 0; i < scopes.size(); i++) {
        ServiceScope s = scopes.get(i);
        indexOf.putIfAbsent(s, indexOf.size());
        assertThat(scopeOf.computeIfAbsent(indexes[i], x -> s)).as("one scope per index")
            .isSameAs(s);
      }
      assertThat(scopeOf.keySet()).as("dense indexes")
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, provider.counts.get(b)).boxed().toList());
      assertThat(provider.counts.get(b)).isEqualTo(indexOf.size());
      List<ServiceScope> byIndex = provider.serviceScopes.get(b);
      for (int k = 0; k < byIndex.size(); k++) {
        assertThat(byIndex.get(k)).as("serviceScope(%d)", k).isSameAs(scopeOf.get(k));
      }
    }
    assertThat(provider.outOfRange).containsExactly("thrown", "thrown");
  }
}
