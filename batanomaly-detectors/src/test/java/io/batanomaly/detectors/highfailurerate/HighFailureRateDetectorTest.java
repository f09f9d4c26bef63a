package io.batanomaly.detectors.highfailurerate;

import static io.batanomaly.detectors.Anomalies.number;
import static io.batanomaly.detectors.PolicyEvents.evaluation;
import static io.batanomaly.detectors.PolicyEvents.fiveMillis;
import static io.batanomaly.detectors.PolicyEvents.steady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.Severity;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.Concurrently;
import io.batanomaly.detectors.PolicyDetectorContract;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.ManualClock;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HighFailureRateDetectorTest extends PolicyDetectorContract {

  private static final Duration EVERY_3S = Duration.ofSeconds(3);

  @Override
  protected DetectorProvider provider() {
    return new HighFailureRateDetectorProvider();
  }

  @Override
  protected String expectedType() {
    return HighFailureRateDetector.TYPE;
  }

  /** Half an hour at 1% failures, then ten minutes at 30%. */
  @Override
  protected Scenario incident(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>(
        steady(tenant, "v1", start, Duration.ofMinutes(30), EVERY_3S, 0.01, fiveMillis()));
    events.addAll(steady(tenant, "v1", start.plus(Duration.ofMinutes(30)),
        Duration.ofMinutes(10), EVERY_3S, 0.30, fiveMillis()));
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(30));
  }

  /** Two hours at 5% failures, half the threshold. */
  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    return Scenario.of(steady(tenant, "v1", start, Duration.ofHours(2), EVERY_3S, 0.05,
        fiveMillis()));
  }

  /** Failed evaluations: each one makes the detector judge its version's window. */
  @Override
  protected Outcome floodOutcome() {
    return Outcome.FAILURE;
  }

  @Test
  void firesWithTheSpecMetricsWhenTheFailureRateCrossesTheThreshold() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    incident("acme", T0).play(engine, clock);

    List<Anomaly> found = Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE");
    assertThat(found).hasSize(1);
    Anomaly a = found.get(0);
    assertThat(a.subject()).isEqualTo("payments/authorize@v1");
    assertThat(a.policyModule()).isEqualTo("payments");
    assertThat(a.policyFunction()).isEqualTo("authorize");
    assertThat(a.versionId()).isEqualTo("v1");
    assertThat(a.metrics()).containsOnlyKeys("failureRate", "baselineFailureRate", "sampleSize",
        "windowStart", "windowEnd");
    assertThat(number(a, "failureRate")).isGreaterThanOrEqualTo(0.10);
    assertThat(number(a, "baselineFailureRate")).isCloseTo(0.01, within(0.002));
    assertThat((long) a.metrics().get("sampleSize")).isGreaterThanOrEqualTo(20);
    Instant start = (Instant) a.metrics().get("windowStart");
    Instant end = (Instant) a.metrics().get("windowEnd");
    assertThat(Duration.between(start, end)).isBetween(Duration.ofMinutes(9),
        Duration.ofMinutes(10));
    // detected within minutes of the failures starting, not at the end of the burst
    assertThat(a.detectedAt()).isBetween(T0.plus(Duration.ofMinutes(31)),
        T0.plus(Duration.ofMinutes(34)));
    assertThat(a.summary()).contains("payments/authorize@v1").contains("baseline 1.0%");
    assertThat(a.recommendedActions()).contains("Roll back to the previous stable version",
        "Inspect evaluation errors for pattern");
    // the condition kept holding for minutes: the same anomaly was updated, not duplicated
    assertThat(a.occurrences()).isGreaterThan(1);
    assertThat(a.severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void firesAboveTheThresholdAndNotAtIt() {
    // Regression: a rate exactly at the threshold fired; the document says "exceeded".
    for (int failures : new int[] {2, 3}) {
      ManualClock clock = new ManualClock(T0);
      AnomalyEngine engine = engine(clock, config());
      List<AuditEvent> events = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        boolean failed = i >= 20 - failures;
        events.add(evaluation("acme", "v1", T0.plusSeconds(3L * i),
            failed ? Outcome.FAILURE : Outcome.SUCCESS, 5));
      }
      Scenario.of(events).thenQuietFor(Duration.ofMinutes(2)).play(engine, clock);
      List<Anomaly> found = Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE");
      if (failures == 2) {
        assertThat(found).as("2 of 20 is exactly 10%%, not above it").isEmpty();
      } else {
        assertThat(found).singleElement()
            .satisfies(a -> assertThat(number(a, "failureRate")).isEqualTo(0.15));
      }
    }
  }

  @Test
  void oneFailedRunOutOfOneIsNotAnAnomaly() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    Scenario.of(List.of(evaluation("acme", "v1", T0, Outcome.FAILURE, 5)))
        .thenQuietFor(Duration.ofMinutes(5)).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE")).isEmpty();
  }

  @Test
  void firesOnlyOnceTheWindowHoldsTheMinimumSample() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    // 19 failures out of 19: below the default minimum of 20
    Scenario.of(steady("acme", "v1", T0, Duration.ofSeconds(57), EVERY_3S, 1.0, fiveMillis()))
        .play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE")).isEmpty();
    // the 20th makes it
    Scenario.of(List.of(evaluation("acme", "v1", T0.plusSeconds(57), Outcome.FAILURE, 5)))
        .play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE")).singleElement()
        .satisfies(a -> assertThat(a.metrics().get("sampleSize")).isEqualTo(20L));
  }

  @Test
  void aNewVersionIsComparedWithThePreviousVersionsRate() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = new ArrayList<>(
        steady("acme", "v1", T0, Duration.ofHours(1), EVERY_3S, 0.02, fiveMillis()));
    Instant rollout = T0.plus(Duration.ofHours(1));
    events.addAll(steady("acme", "v2", rollout, Duration.ofMinutes(10), EVERY_3S, 0.5,
        fiveMillis()));
    Scenario.of(events).play(engine, clock);

    Anomaly a = Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE").get(0);
    assertThat(a.versionId()).isEqualTo("v2");
    assertThat(number(a, "baselineFailureRate")).isCloseTo(0.02, within(0.005));
    assertThat(a.summary()).contains("previous version v1");
    assertThat(a.recommendedActions()).contains(
        "Roll back to the previous stable version (v1)");
  }

  @Test
  void severityGrowsWithTheFailureRateAsAMultipleOfTheThreshold() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    // excess over the 10% threshold: 1.2, 1.7, 3.4, 6
    double[] rates = {0.12, 0.17, 0.34, 0.60};
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < rates.length; i++) {
      events.addAll(steady("t" + i, "v1", T0, Duration.ofMinutes(10), EVERY_3S, rates[i],
          fiveMillis()));
    }
    Scenario.of(events).play(engine, clock);
    Severity[] expected = {Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL};
    for (int i = 0; i < rates.length; i++) {
      assertThat(Anomalies.of(engine, "t" + i, "HIGH_FAILURE_RATE")).singleElement()
          .extracting(Anomaly::severity).isEqualTo(expected[i]);
    }
  }

  @Test
  void verificationKeepsTheAnomalyOpenWhileFailingAndResolvesItOnceTheVersionRecovers() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> failing = new ArrayList<>(
        steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_3S, 0.01, fiveMillis()));
    failing.addAll(steady("acme", "v1", T0.plus(Duration.ofMinutes(30)), Duration.ofMinutes(5),
        EVERY_3S, 0.5, fiveMillis()));
    Scenario.of(failing).play(engine, clock);
    Anomaly a = Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE").get(0);

    assertThat(Anomalies.verify(engine, a).status()).isEqualTo(AnomalyStatus.OPEN);

    Scenario.of(steady("acme", "v1", T0.plus(Duration.ofMinutes(35)), Duration.ofMinutes(15),
        EVERY_3S, 0.0, fiveMillis())).play(engine, clock);
    Anomaly verified = Anomalies.verify(engine, a);
    assertThat(verified.status()).isEqualTo(AnomalyStatus.RESOLVED);
    assertThat(Anomalies.latest(verified).note())
        .contains("not above the 10.0% threshold");
  }

  @Test
  void evaluationsIngestedFromManyThreadsAreCountedExactly() throws Exception {
    ManualClock clock = new ManualClock(T0.plusSeconds(5));
    AnomalyEngine engine = engine(clock, config());
    int threads = 8;
    int perThread = 2_000;
    List<List<AuditEvent>> batches = new ArrayList<>();
    for (int id = 0; id < threads; id++) {
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        // every other evaluation fails; all within five seconds, inside the allowed lateness
        batch.add(evaluation("acme", "v1", T0.plusMillis((i * 7L + id) % 5_000),
            i % 2 == 0 ? Outcome.FAILURE : Outcome.SUCCESS, 5));
      }
      batches.add(batch);
    }
    Concurrently.run(threads, id -> {
      List<AuditEvent> batch = batches.get(id);
      for (int from = 0; from < perThread; from += 100) {
        assertThat(engine.ingest(batch.subList(from, from + 100)).rejected()).isEmpty();
      }
    });
    Anomaly a = Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE").get(0);
    Anomaly verified = Anomalies.verify(engine, a);
    Map<String, Object> evidence = Anomalies.latest(verified)
        .metrics();
    assertThat(evidence.get("sampleSize")).isEqualTo((long) threads * perThread);
    assertThat(((Number) evidence.get("failureRate")).doubleValue()).isEqualTo(0.5);
    assertThat(verified.status()).isEqualTo(AnomalyStatus.OPEN);
  }

  @Test
  void evaluationsOfOneTenantNeverCountForAnother() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    // each tenant alone has 15 failed evaluations: together they would reach the minimum of 20
    List<AuditEvent> events = new ArrayList<>(
        steady("acme", "v1", T0, Duration.ofSeconds(45), EVERY_3S, 1.0, fiveMillis()));
    events.addAll(steady("globex", "v1", T0, Duration.ofSeconds(45), EVERY_3S, 1.0,
        fiveMillis()));
    Scenario.of(events).thenQuietFor(Duration.ofMinutes(1)).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", "HIGH_FAILURE_RATE")).isEmpty();
    assertThat(Anomalies.of(engine, "globex", "HIGH_FAILURE_RATE")).isEmpty();
  }
}
