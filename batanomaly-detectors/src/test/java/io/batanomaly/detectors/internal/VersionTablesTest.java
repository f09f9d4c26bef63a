package io.batanomaly.detectors.internal;

import static io.batanomaly.detectors.EngineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.Severity;
import io.batanomaly.detectors.EngineDriver;
import io.batanomaly.detectors.PolicyEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VersionTablesTest {

  static final class Seen extends TrackedVersion {
    Seen(VersionGroup<?> group, String versionId, long firstSeen) {
      super(group, versionId, firstSeen);
    }
  }

  /**
   * Tracks every policy evaluation in its tables, three versions per tenant, and counts a failed
   * one as late; its tick records the tables it visits.
   */
  static final class Probe implements Detector {
    final VersionTables<VersionGroup<Seen>, Seen> tables;
    final List<String> visited = new CopyOnWriteArrayList<>();

    Probe(DetectorContext context) {
      tables = new VersionTables<>(context, 3, Long.MAX_VALUE / 4, VersionGroup::new, Seen::new);
    }

    @Override
    public Set<String> types() {
      return Set.of("PROBE");
    }

    @Override
    public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
      if (!event.isPolicyEvaluation()) {
        return;
      }
      Seen v = tables.of(scope.tenantScope()).getOrCreate(event.policyModule(),
          event.policyFunction(), event.versionId(), event.epochMillis());
      if (event.outcome() == Outcome.FAILURE) {
        tables.countLate();
      }
      v.touch(event.epochMillis());
    }

    @Override
    public void tick(long nowMillis, FindingSink sink) {
      tables.forEachTable((tenant, table, watermark) ->
          visited.add(tenant + "@" + watermark + ":" + table.size()));
    }

    @Override
    public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
      return Reevaluation.cleared("not judged", Map.of());
    }

    @Override
    public Map<String, Long> stats() {
      return tables.stats();
    }
  }

  static final class ProbeProvider implements DetectorProvider {
    volatile Probe probe;

    @Override
    public String name() {
      return "probe";
    }

    @Override
    public Detector create(DetectorContext context) {
      probe = new Probe(context);
      return probe;
    }
  }

  private static AuditEvent evaluation(String tenant, String version, long at, Outcome outcome) {
    return PolicyEvents.evaluation(tenant, version, Instant.ofEpochMilli(at), outcome, 5);
  }

  private static Anomaly about(String tenant, String module, String function, String version) {
    Instant at = Instant.ofEpochMilli(T0);
    return new Anomaly("a1", tenant, "PROBE", "subject", null, null, module, function, version,
        at, at, 1, AnomalyStatus.OPEN, Severity.LOW, "summary", Map.of(), List.of(), List.of());
  }

  @Test
  void statsCountTheVersionsOfEveryTenantAndTheSharedCountersInOrder() {
    ProbeProvider provider = new ProbeProvider();
    try (EngineDriver d = new EngineDriver(provider)) {
      // four versions for acme under a budget of three: one is evicted
      for (int i = 1; i <= 4; i++) {
        d.send(T0 + i, evaluation("acme", "v" + i, T0 + i, Outcome.SUCCESS));
      }
      d.send(T0 + 10, evaluation("globex", "v1", T0 + 10, Outcome.FAILURE));
      d.send(T0 + 11, evaluation("globex", "v1", T0 + 11, Outcome.FAILURE));

      assertThat(provider.probe.tables.stats()).containsExactly(Map.entry("keysTracked", 4L),
          Map.entry("keysEvicted", 1L), Map.entry("keysExpired", 0L),
          Map.entry("keysShed", 0L), Map.entry("lateEvents", 2L));
    }
  }

  @Test
  void findsTheVersionAnAnomalyNamesWithItsTenantAndGroup() {
    ProbeProvider provider = new ProbeProvider();
    try (EngineDriver d = new EngineDriver(provider)) {
      d.send(T0, evaluation("acme", "v1", T0, Outcome.SUCCESS));
      d.send(T0 + 1, evaluation("globex", "v2", T0 + 1, Outcome.SUCCESS));
      VersionTables<VersionGroup<Seen>, Seen> tables = provider.probe.tables;

      VersionTables.Found<VersionGroup<Seen>, Seen> found =
          tables.find(about("acme", PolicyEvents.MODULE, PolicyEvents.FUNCTION, "v1"));
      assertThat(found).isNotNull();
      assertThat(found.scope().tenant()).isEqualTo("acme");
      assertThat(found.group().function()).isEqualTo(PolicyEvents.FUNCTION);
      assertThat(found.version().subject()).isEqualTo("payments/authorize@v1");

      // another tenant's version, an unknown tenant, version or function, a missing field
      assertThat(tables.find(about("acme", PolicyEvents.MODULE, PolicyEvents.FUNCTION, "v2")))
          .isNull();
      assertThat(tables.find(about("initech", PolicyEvents.MODULE, PolicyEvents.FUNCTION,
          "v1"))).isNull();
      assertThat(tables.find(about("acme", PolicyEvents.MODULE, "refund", "v1"))).isNull();
      assertThat(tables.find(about("acme", null, PolicyEvents.FUNCTION, "v1"))).isNull();
      assertThat(tables.find(about("acme", PolicyEvents.MODULE, null, "v1"))).isNull();
      assertThat(tables.find(about("acme", PolicyEvents.MODULE, PolicyEvents.FUNCTION, null)))
          .isNull();
    }
  }

  @Test
  void visitsTheTableOfEveryTenantThatHasSeenAnEventWithItsWatermark() {
    ProbeProvider provider = new ProbeProvider();
    try (EngineDriver d = new EngineDriver(provider)) {
      d.send(T0 + 5, evaluation("acme", "v1", T0 + 5, Outcome.SUCCESS),
          evaluation("acme", "v2", T0 + 3, Outcome.SUCCESS));
      d.send(T0 + 7, evaluation("globex", "v1", T0 + 7, Outcome.SUCCESS));
      d.tickAt(T0 + 1_000);
      assertThat(provider.probe.visited).containsExactlyInAnyOrder(
          "acme@" + (T0 + 5) + ":2", "globex@" + (T0 + 7) + ":1");
    }
  }
}
