package io.batanomaly.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.IngestResult;
import io.batanomaly.Outcome;
import io.batanomaly.RejectReason;
import io.batanomaly.RejectedEvent;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;

/**
 * Property-based tests of {@link AnomalyEngine#ingest}: arbitrary batches, with nulls inside the
 * batch, empty, blank, huge and control-character strings, extreme and negative timestamps,
 * every status from -1 to 1000 and NaN, infinite and negative durations. Whatever the content,
 * ingest does not throw, accounts for every event, gives every rejection a reason and a message,
 * and the detectors' windows hold exactly the accepted events.
 */
class IngestPropertiesTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final long T0_MILLIS = T0.toEpochMilli();
  private static final String HUGE = "h".repeat(1 << 20);
  private static final int MAX_FIELD = 1024;

  private final List<AnomalyEngine> engines = new ArrayList<>();

  @AfterTry
  void closeEngines() {
    engines.forEach(AnomalyEngine::close);
    engines.clear();
  }

  private record Fixture(AnomalyEngine engine, ManualClock clock, RecordingDetector detector) {}

  private Fixture fixture() {
    ManualClock clock = new ManualClock(T0);
    // a maximum event age inside the recording detector's two hours of one-second buckets
    AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_MAX_EVENT_AGE", "1h").build(), Runnable::run, List.of());
    engines.add(engine);
    return new Fixture(engine, clock, TestEngines.recorder(engine));
  }

  @Property(tries = 300)
  void ingestAccountsForEveryEventOfOneBatch(@ForAll("batches") List<AuditEvent> batch) {
    Fixture f = fixture();
    IngestResult r = f.engine.ingest(batch);
    checkResult(batch, r);
  }

  @Property(tries = 150)
  void windowsHoldExactlyTheAcceptedEventsOverManyBatchesAndClockMoves(
      @ForAll("batches") List<AuditEvent> b1, @ForAll("clockMoves") long move1,
      @ForAll("batches") List<AuditEvent> b2, @ForAll("clockMoves") long move2,
      @ForAll("batches") List<AuditEvent> b3) {
    Fixture f = fixture();
    Map<List<Object>, Long> expected = new HashMap<>();
    Map<RejectReason, Long> rejectedByReason = new EnumMap<>(RejectReason.class);
    long accepted = 0;
    List<List<AuditEvent>> batches = List.of(b1, b2, b3);
    long[] moves = {move1, move2, 0};
    for (int i = 0; i < batches.size(); i++) {
      List<AuditEvent> batch = batches.get(i);
      IngestResult r = f.engine.ingest(batch);
      checkResult(batch, r);
      accepted += r.accepted();
      Set<Integer> rejectedIndexes = new HashSet<>();
      for (RejectedEvent x : r.rejected()) {
        rejectedIndexes.add(x.index());
        rejectedByReason.merge(x.reason(), 1L, Long::sum);
      }
      for (int j = 0; j < batch.size(); j++) {
        if (!rejectedIndexes.contains(j)) {
          AuditEvent e = batch.get(j);
          expected.merge(List.of(e.tenant(), e.service(), Math.floorDiv(e.epochMillis(), 1000L)),
              1L, Long::sum);
        }
      }
      f.clock.advance(Duration.ofMillis(moves[i]));
      f.engine.tick();
    }
    assertThat(f.detector.observed.sum()).isEqualTo(accepted);
    expected.forEach((k, n) -> assertThat(f.detector.countIn((String) k.get(0),
        (String) k.get(1), (Long) k.get(2)))
        .as("events counted in the window of %s", k)
        .isEqualTo(n));
    EngineHealth health = f.engine.health();
    assertThat(health.eventsAccepted()).isEqualTo(accepted);
    assertThat(health.eventsRejected()).isEqualTo(rejectedByReason);
    assertThat(health.batches()).isEqualTo(3);
  }

  private static void checkResult(List<AuditEvent> batch, IngestResult r) {
    assertThat(r.accepted() + r.rejected().size()).isEqualTo(batch.size());
    Set<Integer> indexes = new HashSet<>();
    for (RejectedEvent x : r.rejected()) {
      assertThat(x.reason()).isNotNull();
      assertThat(x.message()).isNotBlank();
      assertThat(x.message().length()).as("a rejection message stays short").isLessThan(600);
      assertThat(x.index()).isBetween(0, batch.size() - 1);
      assertThat(indexes.add(x.index())).as("index %s rejected once", x.index()).isTrue();
      AuditEvent e = batch.get(x.index());
      if (e == null) {
        assertThat(x.reason()).isEqualTo(RejectReason.NULL_EVENT);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      AuditEvent e = batch.get(i);
      if (e == null || mustBeRejected(e)) {
        assertThat(indexes).as("event %s: %s", i, e).contains(i);
      }
    }
  }

  /** What no engine may accept, whatever else is wrong with the event. */
  private static boolean mustBeRejected(AuditEvent e) {
    return e.tenant() == null || e.tenant().isBlank()
        || e.service() == null || e.service().isBlank()
        || e.epochMillis() == AuditEvent.NO_TIMESTAMP
        || (e.status() != 0 && (e.status() < 100 || e.status() > 599))
        || (e.executionTimeNanos() != AuditEvent.NO_EXECUTION_TIME && e.executionTimeNanos() < 0)
        || tooLong(e.tenant()) || tooLong(e.service()) || tooLong(e.identifier())
        || tooLong(e.method()) || tooLong(e.eventType()) || tooLong(e.versionId())
        || e.epochMillis() > T0_MILLIS + Duration.ofMinutes(6).toMillis() + Duration.ofDays(1)
            .toMillis()
        || e.epochMillis() < T0_MILLIS - Duration.ofHours(1).toMillis() - Duration.ofDays(1)
            .toMillis();
  }

  private static boolean tooLong(String s) {
    return s != null && s.length() > MAX_FIELD;
  }

  @Provide
  Arbitrary<Long> clockMoves() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(0, 30_000)),
        Tuple.of(2, Arbitraries.longs().between(-Duration.ofMinutes(5).toMillis(), 0)),
        Tuple.of(1, Arbitraries.longs().between(0, Duration.ofHours(3).toMillis())));
  }

  @Provide
  Arbitrary<List<AuditEvent>> batches() {
    Arbitrary<AuditEvent> events = Combinators.combine(
        names("acme", "globex"), names("billing", "auth", "search"), timestamps(),
        Arbitraries.integers().between(-1, 1000), identifiers(), executionTimes(), methods(),
        policy())
        .as((tenant, service, time, status, identifier, exec, method, policy) -> {
          AuditEvent.Builder b = AuditEvent.builder().tenant(tenant).service(service)
              .epochMillis(time).status(status).identifier(identifier).method(method);
          if (exec != null) {
            b.executionTimeMillis(exec);
          }
          if (policy != null) {
            b.policyModule("authz").policyFunction("allow").versionId(policy)
                .outcome(Outcome.values()[Math.floorMod(policy.hashCode(),
                    Outcome.values().length)]);
          }
          return b.build();
        });
    return events.injectNull(0.05).list().ofMaxSize(120);
  }

  private static Arbitrary<String> names(String... usual) {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of(usual)),
        Tuple.of(1, Arbitraries.of("", " ", "\t\n", "\u0000", "\u001f\u007f", "\u200b")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)),
        Tuple.of(1, Arbitraries.of("x".repeat(MAX_FIELD), "x".repeat(MAX_FIELD + 1), HUGE)),
        Tuple.of(1, Arbitraries.just((String) null)));
  }

  private static Arbitrary<Long> timestamps() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.longs().between(T0_MILLIS - 120_000, T0_MILLIS + 120_000)),
        Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE,
            Long.MAX_VALUE - 1, 0L, -1L, Instant.MIN.getEpochSecond(),
            T0_MILLIS - Duration.ofDays(3650).toMillis(),
            T0_MILLIS + Duration.ofDays(3650).toMillis())),
        Tuple.of(1, Arbitraries.longs()));
  }

  private static Arbitrary<String> identifiers() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("10.0.0.1", "alice", "bob", RecordingDetector.TRIGGER)),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)),
        Tuple.of(1, Arbitraries.of("", "\u0000\u0001", "x".repeat(MAX_FIELD + 1), HUGE)),
        Tuple.of(2, Arbitraries.just((String) null)));
  }

  private static Arbitrary<Double> executionTimes() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just((Double) null)),
        Tuple.of(3, Arbitraries.doubles().between(0, 10_000)),
        Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -0.0, -1.0, -1e300, 1e300, Double.MAX_VALUE,
            Double.MIN_VALUE)));
  }

  private static Arbitrary<String> methods() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("GET", "POST", "DELETE", "delete", " put ")),
        Tuple.of(1, Arbitraries.strings().all().ofMaxLength(10)),
        Tuple.of(1, Arbitraries.of("", "x".repeat(MAX_FIELD + 1))),
        Tuple.of(1, Arbitraries.just((String) null)));
  }

  private static Arbitrary<String> policy() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just((String) null)),
        Tuple.of(2, Arbitraries.of("v1", "v2")),
        Tuple.of(1, Arbitraries.of("", "x".repeat(MAX_FIELD + 1))));
  }
}
