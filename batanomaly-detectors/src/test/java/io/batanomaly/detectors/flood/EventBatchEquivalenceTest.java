package io.batanomaly.detectors.flood;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EventBatch;
import io.batanomaly.IngestResult;
import io.batanomaly.Outcome;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The columnar path gives exactly what the {@link AuditEvent} path gives: two engines with every
 * built-in detector, one fed {@code List<AuditEvent>}s, the other the same events written into
 * one reused {@link EventBatch}, report the same accepted counts, the same rejections (index,
 * reason and message), the same anomalies opened and updated by each batch, and the same
 * anomalies after ticks, whatever the events say (bad fields included).
 */
class EventBatchEquivalenceTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final long T0_MILLIS = T0.toEpochMilli();

  @Property(tries = 150)
  void theColumnarPathFindsAndRejectsExactlyWhatTheAuditEventPathDoes(
      @ForAll("batches") List<AuditEvent> b1, @ForAll("batches") List<AuditEvent> b2,
      @ForAll("batches") List<AuditEvent> b3, @ForAll("moves") long move) {
    ManualClock objectClock = new ManualClock(T0);
    ManualClock columnClock = new ManualClock(T0);
    try (AnomalyEngine objects = engine(objectClock);
        AnomalyEngine columns = engine(columnClock)) {
      EventBatch batch = new EventBatch(16);
      for (List<AuditEvent> events : List.of(b1, b2, b3)) {
        batch.clear();
        events.forEach(e -> fill(batch, e));
        IngestResult expected = objects.ingest(events);
        IngestResult actual = columns.ingest(batch);
        assertThat(actual.accepted()).isEqualTo(expected.accepted());
        assertThat(actual.rejected()).isEqualTo(expected.rejected());
        assertThat(withoutIds(actual.opened())).isEqualTo(withoutIds(expected.opened()));
        assertThat(withoutIds(actual.updated())).isEqualTo(withoutIds(expected.updated()));
        for (ManualClock c : List.of(objectClock, columnClock)) {
          c.advance(Duration.ofMillis(move));
        }
        objects.tick();
        columns.tick();
      }
      for (String tenant : List.of("acme", "globex")) {
        assertThat(all(columns, tenant)).isEqualTo(all(objects, tenant));
      }
      assertThat(columns.health().eventsRejected()).isEqualTo(objects.health().eventsRejected());
    }
  }

  private static AnomalyEngine engine(ManualClock clock) {
    return AnomalyEngine.builder()
        .config(AnomalyConfig.defaults().toBuilder()
            // small thresholds so that random traffic reaches the rules
            .set("ANOMALY_BRUTE_FORCE_THRESHOLD", "2")
            .set("ANOMALY_MASS_DELETE_THRESHOLD", "2")
            .set("ANOMALY_SILENT_SERVICE_MINUTES", "1")
            .set("ANOMALY_ERROR_RATE_MIN_EVENTS", "5")
            .build())
        .clock(clock)
        .autoTick(false)
        .verificationExecutor(Runnable::run)
        .build();
  }

  /** Writes an event into the batch field by field, as a host would from its own record. */
  private static void fill(EventBatch batch, AuditEvent e) {
    batch.add().tenant(e.tenant()).service(e.service()).epochMillis(e.epochMillis())
        .method(e.method()).status(e.status()).identifier(e.identifier())
        .eventType(e.eventType()).policyModule(e.policyModule())
        .policyFunction(e.policyFunction()).versionId(e.versionId()).outcome(e.outcome())
        .executionTimeNanos(e.executionTimeNanos());
  }

  private static List<Anomaly> withoutIds(List<Anomaly> anomalies) {
    List<Anomaly> out = new ArrayList<>();
    for (Anomaly a : anomalies) {
      out.add(new Anomaly("-", a.tenant(), a.type(), a.subject(), a.service(), a.identifier(),
          a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(), a.lastSeenAt(),
          a.occurrences(), a.status(), a.severity(), a.summary(), a.metrics(),
          a.recommendedActions(), a.history()));
    }
    return out;
  }

  private static List<Anomaly> all(AnomalyEngine engine, String tenant) {
    List<Anomaly> out = new ArrayList<>();
    for (AnomalySummary s : engine.anomalies().list(tenant, new AnomalyQuery(null, 7, 0, 200))
        .content()) {
      out.add(engine.anomalies().get(tenant, s.id()));
    }
    out.sort(java.util.Comparator.comparing(Anomaly::type).thenComparing(Anomaly::subject)
        .thenComparing(Anomaly::detectedAt));
    return withoutIds(out);
  }

  @Provide
  Arbitrary<Long> moves() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 60_000)),
        Tuple.of(1, Arbitraries.longs().between(0, Duration.ofMinutes(30).toMillis())));
  }

  @Provide
  Arbitrary<List<AuditEvent>> batches() {
    Arbitrary<AuditEvent> events = Combinators.combine(
        Arbitraries.of("acme", "globex", " "),
        Arbitraries.of("billing", "auth", "policy-engine", ""),
        timestamps(),
        Arbitraries.of(200, 200, 200, 204, 401, 401, 403, 500, 503, 0, 99, 700),
        Arbitraries.of("10.0.0.1", "alice", "bob", "x".repeat(1025), null),
        Arbitraries.of("GET", "GET", "POST", "DELETE", "delete", null),
        policy(),
        Arbitraries.of(AuditEvent.NO_EXECUTION_TIME, 3_000_000L, 90_000_000L, -1L,
            AuditEvent.INVALID_EXECUTION_TIME))
        .as((tenant, service, time, status, identifier, method, policy, exec) -> {
          AuditEvent.Builder b = AuditEvent.builder().tenant(tenant).service(service)
              .epochMillis(time).status(status).identifier(identifier).method(method)
              .executionTimeNanos(exec);
          if (policy != null) {
            b.policyModule(policy.get1()).policyFunction("authorize").versionId(policy.get2())
                .outcome(policy.get3());
          }
          return b.build();
        });
    Arbitrary<AuditEvent> alerts = Arbitraries.of(AuditEvent.builder().tenant("acme")
        .service("billing").epochMillis(T0_MILLIS).eventType(AuditEvent.ALERT_EVENT_TYPE)
        .build());
    return Arbitraries.frequencyOf(Tuple.of(30, events), Tuple.of(1, alerts)).list()
        .ofMaxSize(200);
  }

  private static Arbitrary<Long> timestamps() {
    return Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.longs().between(T0_MILLIS - 20_000, T0_MILLIS + 2_000)),
        Tuple.of(1, Arbitraries.of(AuditEvent.NO_TIMESTAMP, Long.MAX_VALUE,
            T0_MILLIS - Duration.ofDays(6).toMillis(),
            T0_MILLIS + Duration.ofMinutes(5).toMillis())));
  }

  private static Arbitrary<net.jqwik.api.Tuple.Tuple3<String, String, Outcome>> policy() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(null)),
        Tuple.of(2, Combinators.combine(Arbitraries.of("payments", "pricing"),
            Arbitraries.of("v1", "v2"), Arbitraries.of(Outcome.SUCCESS, Outcome.FAILURE))
            .as(Tuple::of)));
  }
}
