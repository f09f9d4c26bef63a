package io.batanomaly.detectors.flood;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.IngestResult;
import io.batanomaly.Outcome;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Arbitrary event content against every built-in detector: nulls in the batch, blank, huge and
 * control-character strings, extreme timestamps, every status from -1 to 1000, odd methods,
 * policy evaluations with missing parts and NaN, infinite or negative durations, and the clock
 * moving both ways between batches. No detector throws (the engine would count it), every event
 * is accounted for, and verifying whatever was found neither fails nor leaves anything
 * VERIFYING.
 */
class AllDetectorsIngestPropertiesTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final long T0_MILLIS = T0.toEpochMilli();
  private static final String HUGE = "h".repeat(100_000);

  @Property(tries = 200)
  void noDetectorThrowsWhateverTheEventsSay(
      @ForAll("batches") List<AuditEvent> b1, @ForAll("moves") long move1,
      @ForAll("batches") List<AuditEvent> b2, @ForAll("moves") long move2,
      @ForAll("batches") List<AuditEvent> b3) {
    ManualClock clock = new ManualClock(T0);
    try (AnomalyEngine engine = AnomalyEngine.builder()
        .config(AnomalyConfig.defaults().toBuilder()
            // small thresholds so that random traffic reaches the rules' code paths
            .set("ANOMALY_BRUTE_FORCE_THRESHOLD", "2")
            .set("ANOMALY_MASS_DELETE_THRESHOLD", "2")
            .set("ANOMALY_SILENT_SERVICE_MINUTES", "1")
            .build())
        .clock(clock)
        .autoTick(false)
        .verificationExecutor(Runnable::run)
        .build()) {
      long total = 0;
      long[] moves = {move1, move2, Duration.ofMinutes(20).toMillis()};
      List<List<AuditEvent>> batches = List.of(b1, b2, b3);
      for (int i = 0; i < batches.size(); i++) {
        IngestResult r = engine.ingest(batches.get(i));
        assertThat(r.total()).isEqualTo(batches.get(i).size());
        total += batches.get(i).size();
        clock.advance(Duration.ofMillis(moves[i]));
        engine.tick();
      }
      for (String tenant : List.of("acme", "globex")) {
        for (AnomalySummary s : engine.anomalies()
            .list(tenant, new AnomalyQuery(null, 7, 0, 200)).content()) {
          if (s.status() == AnomalyStatus.OPEN) {
            engine.anomalies().verify(tenant, s.id());
          }
          assertThat(engine.anomalies().get(tenant, s.id()).status())
              .isNotEqualTo(AnomalyStatus.VERIFYING);
        }
      }
      EngineHealth h = engine.health();
      assertThat(h.detectorErrors()).as("exceptions thrown by detectors").isZero();
      assertThat(h.verificationsFailed()).as("verifications that failed").isZero();
      assertThat(h.eventsAccepted() + h.eventsRejectedTotal()).isEqualTo(total);
    }
  }

  @Provide
  Arbitrary<Long> moves() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.longs().between(0, 60_000)),
        Tuple.of(2, Arbitraries.longs().between(-Duration.ofMinutes(10).toMillis(), 0)),
        Tuple.of(2, Arbitraries.longs().between(0, Duration.ofHours(6).toMillis())));
  }

  @Provide
  Arbitrary<List<AuditEvent>> batches() {
    Arbitrary<AuditEvent> events = Combinators.combine(
        text("acme", "globex"), text("billing", "auth", "policy-engine"), timestamps(),
        statuses(), text("10.0.0.1", "alice", "bob"), text("GET", "POST", "DELETE", "delete"),
        policy(), executionTimes())
        .as((tenant, service, time, status, identifier, method, policy, exec) -> {
          AuditEvent.Builder b = AuditEvent.builder().tenant(tenant).service(service)
              .epochMillis(time).status(status).identifier(identifier).method(method);
          if (policy != null) {
            b.policyModule(policy.get1()).policyFunction(policy.get2())
                .versionId(policy.get3()).outcome(policy.get4());
          }
          if (exec != null) {
            b.executionTimeMillis(exec);
          }
          return b.build();
        });
    return events.injectNull(0.03).list().ofMaxSize(150);
  }

  private static Arbitrary<String> text(String... usual) {
    return Arbitraries.frequencyOf(
        Tuple.of(14, Arbitraries.of(usual)),
        Tuple.of(1, Arbitraries.of("", " ", "\t", "\u0000", "\u202e", "\ud800")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(8)),
        Tuple.of(1, Arbitraries.of("x".repeat(1024), HUGE)),
        Tuple.of(1, Arbitraries.just((String) null)));
  }

  private static Arbitrary<Integer> statuses() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(200, 204, 401, 403, 404, 500, 503)),
        Tuple.of(1, Arbitraries.integers().between(-1, 1000)));
  }

  private static Arbitrary<Long> timestamps() {
    return Arbitraries.frequencyOf(
        Tuple.of(14, Arbitraries.longs().between(T0_MILLIS - 300_000, T0_MILLIS + 300_000)),
        Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, 0L, -1L,
            T0_MILLIS - Duration.ofDays(6).toMillis(),
            T0_MILLIS + Duration.ofMinutes(5).toMillis())),
        Tuple.of(1, Arbitraries.longs()));
  }

  private static Arbitrary<net.jqwik.api.Tuple.Tuple4<String, String, String, Outcome>>
      policy() {
    Arbitrary<Outcome> outcomes = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(Outcome.values())), Tuple.of(1, Arbitraries.just(null)));
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(null)),
        Tuple.of(4, Combinators.combine(text("payments"), text("authorize"),
            text("v1", "v2", "v3"), outcomes).as(Tuple::of)));
  }

  private static Arbitrary<Double> executionTimes() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just((Double) null)),
        Tuple.of(4, Arbitraries.doubles().between(0, 2_000)),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -1.0, 0.0, 1e300,
            Double.MIN_VALUE)));
  }
}
