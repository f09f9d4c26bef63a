package io.batanomaly.detectors.performancedegradation;

import static io.batanomaly.detectors.Anomalies.number;
import static io.batanomaly.detectors.PolicyEvents.logNormal;
import static io.batanomaly.detectors.PolicyEvents.steady;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
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
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class PerformanceDegradationDetectorTest extends PolicyDetectorContract {

  private static final Duration EVERY_1S = Duration.ofSeconds(1);
  private static final String TYPE = PerformanceDegradationDetector.TYPE;

  @Override
  protected DetectorProvider provider() {
    return new PerformanceDegradationDetectorProvider();
  }

  @Override
  protected String expectedType() {
    return TYPE;
  }

  /** An hour and a half around 10 ms, then a quarter of an hour twice as slow. */
  @Override
  protected Scenario incident(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>(steady(tenant, "v1", start,
        Duration.ofMinutes(90), EVERY_1S, 0, logNormal(7, 10, 0.3)));
    events.addAll(steady(tenant, "v1", start.plus(Duration.ofMinutes(90)),
        Duration.ofMinutes(15), EVERY_1S, 0, logNormal(8, 20, 0.3)));
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(20));
  }

  /** Six hours of stationary log-normal execution times (median 10 ms, sigma 0.5). */
  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    return Scenario.of(steady(tenant, "v1", start, Duration.ofHours(6), EVERY_1S, 0,
        logNormal(42, 10, 0.5)));
  }


  /**
   * An hour of {@code v1} around 10 ms, then {@code version} for {@code span} around
   * {@code medianMillis}: one evaluation a second, log-normal with sigma 0.2.
   */
  private static List<AuditEvent> anHourAround10msThen(String tenant, String version,
      Duration span, double medianMillis) {
    List<AuditEvent> events = new ArrayList<>(steady(tenant, "v1", T0, Duration.ofMinutes(60),
        EVERY_1S, 0, logNormal(7, 10, 0.2)));
    events.addAll(steady(tenant, version, T0.plus(Duration.ofMinutes(60)), span, EVERY_1S, 0,
        logNormal(8, medianMillis, 0.2)));
    return events;
  }

  @Test
  void aTwofoldSlowdownOfTheP95IsCaughtWithItsDistributionsAsEvidence() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    incident("acme", T0).play(engine, clock);
    Instant change = T0.plus(Duration.ofMinutes(90));

    List<Anomaly> found = Anomalies.of(engine, "acme", TYPE);
    assertThat(found).hasSize(1);
    Anomaly a = found.get(0);
    assertThat(a.subject()).isEqualTo("payments/authorize@v1");
    assertThat(a.metrics()).containsKeys("meanMillis", "p50Millis", "p95Millis", "p99Millis",
        "sampleSize", "baselineMeanMillis", "baselineP50Millis", "baselineP95Millis",
        "baselineP99Millis", "baselineSampleSize", "baselineVersionId", "ratio", "meanRatio",
        "windowStart", "windowEnd");
    assertThat(number(a, "ratio")).isBetween(1.7, 2.4);
    assertThat(number(a, "meanRatio")).isBetween(1.7, 2.4);
    assertThat(number(a, "baselineP50Millis")).isBetween(9.0, 11.0);
    assertThat(number(a, "p50Millis")).isBetween(18.0, 22.0);
    assertThat(number(a, "p99Millis")).isGreaterThan(number(a, "p95Millis"));
    assertThat((long) a.metrics().get("sampleSize")).isEqualTo(300);
    assertThat((long) a.metrics().get("baselineSampleSize")).isGreaterThanOrEqualTo(3600);
    assertThat(a.metrics().get("baselineVersionId")).isEqualTo("v1");
    assertThat(Duration.between((Instant) a.metrics().get("windowStart"),
        (Instant) a.metrics().get("windowEnd"))).isEqualTo(Duration.ofMinutes(5));
    // the first full window after the change, judged once the allowed lateness has passed
    assertThat(a.detectedAt()).isBetween(change.plus(Duration.ofMinutes(5)),
        change.plus(Duration.ofMinutes(6)));
    assertThat(a.summary()).contains("payments/authorize@v1").contains("its own baseline");
    assertThat(a.recommendedActions()).isNotEmpty();
    assertThat(a.recommendedActions()).first()
        .isEqualTo("Roll back to the previous stable version if the slowdown follows a change");
    assertThat(a.recommendedActions()).contains("Profile the slowest evaluations of v1");
  }

  /** 90 minutes of steady execution times, then 15 in which one in ten takes four times as long. */
  private static List<AuditEvent> tailSlowdown() {
    List<AuditEvent> events = new ArrayList<>(steady("acme", "v1", T0, Duration.ofMinutes(90),
        EVERY_1S, 0, logNormal(7, 10, 0.2)));
    // one evaluation in ten now takes four times as long: the mean moves by 30% only
    DoubleSupplier base = logNormal(9, 10, 0.2);
    int[] i = {0};
    DoubleSupplier tail = () -> base.getAsDouble() * (i[0]++ % 10 == 0 ? 4 : 1);
    events.addAll(steady("acme", "v1", T0.plus(Duration.ofMinutes(90)), Duration.ofMinutes(15),
        EVERY_1S, 0, tail));
    return events;
  }

  @Test
  void aSlowdownOfTheTailAloneIsNotReportedByDefaultTheDocumentJudgesTheAverage() {
    // Regression: the detector also fired on the p95 alone, with a mean ratio below 1.5; the
    // document's rule is "average execution time increased significantly".
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    Scenario.of(tailSlowdown()).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  @Test
  void aSlowdownOfTheTailAloneIsCaughtByTheP95WhenChosen() {
    for (String statistic : List.of("p95", "either")) {
      ManualClock clock = new ManualClock(T0);
      AnomalyEngine engine = engine(clock, config().toBuilder()
          .set("ANOMALY_PERFORMANCE_STATISTIC", statistic).build());
      Scenario.of(tailSlowdown()).play(engine, clock);

      Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
      assertThat(number(a, "meanRatio")).isLessThan(1.5);
      assertThat(number(a, "ratio")).isGreaterThanOrEqualTo(1.5);
    }
  }

  @Test
  void staysQuietOnSixHoursOfStationaryLogNormalNoiseWhileJudgingEveryWindow() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    cleanTraffic("acme", T0).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
    Map<String, Long> stats = engine.health().detectors()
        .get(PerformanceDegradationDetectorProvider.NAME);
    // 72 windows of 5 minutes; the last one waits for the watermark to pass it
    assertThat(stats.get("windowsJudged")).isEqualTo(71);
  }

  @Test
  void aDayOfHeavyTailedNoiseOnALowTrafficVersionRaisesNothing() {
    // 60 execution times per window, log-normal with sigma 0.8 (p95 3.7 times the median): on
    // a ratio alone the sample p95 passes 1.5x in about 6% of such windows
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    Scenario.of(steady("acme", "v1", T0, Duration.ofHours(24), Duration.ofSeconds(5), 0,
        logNormal(11, 10, 0.8))).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
    assertThat(engine.health().detectors().get(PerformanceDegradationDetectorProvider.NAME)
        .get("windowsJudged")).isEqualTo(24 * 12 - 1);
  }

  @Test
  void aWindowWithFewerThanTheMinimumSamplesIsNotJudged() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = new ArrayList<>(steady("acme", "v1", T0, Duration.ofMinutes(60),
        EVERY_1S, 0, logNormal(7, 10, 0.2)));
    // 40 evaluations in the next windows, five times slower: below the minimum of 50
    events.addAll(steady("acme", "v1", T0.plus(Duration.ofMinutes(60)), Duration.ofMinutes(5),
        Duration.ofMillis(7_500), 0, () -> 50));
    events.addAll(steady("acme", "v1", T0.plus(Duration.ofMinutes(65)), Duration.ofMinutes(10),
        EVERY_1S, 0, logNormal(8, 10, 0.2)));
    Scenario.of(events).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  @Test
  void aVersionWithoutEnoughBaselineAndNoPreviousVersionIsNotJudged() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = new ArrayList<>(steady("acme", "v1", T0, Duration.ofSeconds(40),
        EVERY_1S, 0, () -> 10));
    events.addAll(steady("acme", "v1", T0.plus(Duration.ofMinutes(5)), Duration.ofMinutes(10),
        EVERY_1S, 0, () -> 100));
    Scenario.of(events).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  @Test
  void aNewVersionIsJudgedAgainstThePreviousVersionsBaseline() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = anHourAround10msThen("acme", "v2", Duration.ofMinutes(15), 25);
    Scenario.of(events).play(engine, clock);

    Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
    assertThat(a.versionId()).isEqualTo("v2");
    assertThat(a.metrics().get("baselineVersionId")).isEqualTo("v1");
    assertThat(number(a, "ratio")).isBetween(2.0, 3.0);
    assertThat(a.summary()).contains("previous version v1");
    assertThat(a.recommendedActions()).first()
        .isEqualTo("Roll back to the previous stable version (v1)");
  }

  @Test
  void verificationKeepsTheAnomalyOpenWhileSlowAndResolvesItAfterRecovery() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = anHourAround10msThen("acme", "v1", Duration.ofMinutes(12), 30);
    Scenario.of(events).play(engine, clock);
    Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
    assertThat(Anomalies.verify(engine, a).status()).isEqualTo(AnomalyStatus.OPEN);

    Scenario.of(steady("acme", "v1", T0.plus(Duration.ofMinutes(72)), Duration.ofMinutes(12),
        EVERY_1S, 0, logNormal(9, 10, 0.2))).play(engine, clock);
    Anomaly verified = Anomalies.verify(engine, a);
    assertThat(verified.status()).isEqualTo(AnomalyStatus.RESOLVED);
    assertThat(Anomalies.latest(verified).note()).contains("below");
  }

  @Test
  void aSlowTenantNeverMakesAnotherTenantsVersionLookDegraded() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = anHourAround10msThen("acme", "v1", Duration.ofMinutes(15), 40);
    // globex runs the same version id at 40 ms throughout: stationary for globex
    events.addAll(steady("globex", "v1", T0, Duration.ofMinutes(75), EVERY_1S, 0,
        logNormal(9, 40, 0.2)));
    Scenario.of(events).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).hasSize(1);
    assertThat(Anomalies.of(engine, "globex", TYPE)).isEmpty();
  }

  @Test
  void recordingFromManyThreadsLosesNoExecutionTimeAcrossWindowRollovers() throws Exception {
    VersionLatency v = new VersionLatency(
        new io.batanomaly.detectors.internal.VersionGroup<>("m", "f"), "v1", 0);
    int threads = 8;
    int perThread = 50_000;
    long[] recorded = new long[threads];
    long[] late = new long[threads];
    java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
    Concurrently.run(threads, id -> {
      Random random = new Random(id);
      for (int i = 0; i < perThread; i++) {
        // windows move forward together, with jitter back and forth between threads
        long epoch = progress.getAndIncrement() / 8_000 + random.nextInt(3);
        if (v.record(epoch, 1 + random.nextInt(10_000))) {
          recorded[id]++;
        } else {
          late[id]++;
        }
      }
    });
    long inSlots = 0;
    for (int i = 0; i < VersionLatency.SLOTS; i++) {
      VersionLatency.Slot s = v.slots.get(i);
      inSlots += s == null ? 0 : s.histogram.getTotalCount();
    }
    for (VersionLatency.Slot s : v.displaced) {
      inSlots += s.histogram.getTotalCount();
    }
    // without ticks, windows pushed out of the ring beyond the few kept are dropped, counted
    // when dropped; a thread preempted while writing into a window as it is dropped may add a
    // few samples after it was counted, and those are dropped with it
    inSlots += v.droppedSamples.sum();
    long totalRecorded = java.util.Arrays.stream(recorded).sum();
    assertThat(totalRecorded + java.util.Arrays.stream(late).sum())
        .isEqualTo((long) threads * perThread);
    assertThat(inSlots).isLessThanOrEqualTo(totalRecorded)
        .isGreaterThanOrEqualTo(totalRecorded - totalRecorded / 10_000);
    // the windows rolled over some fifty times, and most records were in time
    assertThat(v.slots.get(0) == null ? 0 : v.slots.get(0).epoch).isGreaterThan(0);
    assertThat(totalRecorded).isGreaterThan((long) threads * perThread / 2);
  }

  @Test
  void runsRecordedFromManyThreadsAreCountedExactly() throws Exception {
    VersionLatency v = new VersionLatency(
        new io.batanomaly.detectors.internal.VersionGroup<>("m", "f"), "v1", 0);
    int threads = 8;
    int runs = 4_000;
    long[] recorded = new long[threads];
    long[] late = new long[threads];
    long[] generated = new long[threads];
    java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong();
    Concurrently.run(threads, id -> {
      Random random = new Random(id);
      long[] micros = new long[PerformanceDegradationDetector.GATHERED];
      for (int r = 0; r < runs; r++) {
        // a run of one window's execution times, as a batch gathers them
        int n = 1 + random.nextInt(micros.length);
        for (int i = 0; i < n; i++) {
          micros[i] = 1 + random.nextInt(10_000);
        }
        generated[id] += n;
        long epoch = progress.getAndIncrement() / 500 + random.nextInt(3);
        if (v.record(epoch, micros, n)) {
          recorded[id] += n;
        } else {
          late[id] += n;
        }
      }
    });
    long inSlots = v.droppedSamples.sum();
    for (int i = 0; i < VersionLatency.SLOTS; i++) {
      VersionLatency.Slot s = v.slots.get(i);
      inSlots += s == null ? 0 : s.histogram.getTotalCount();
    }
    for (VersionLatency.Slot s : v.displaced) {
      inSlots += s.histogram.getTotalCount();
    }
    long totalRecorded = java.util.Arrays.stream(recorded).sum();
    long total = java.util.Arrays.stream(generated).sum();
    assertThat(totalRecorded + java.util.Arrays.stream(late).sum()).isEqualTo(total);
    // a run is recorded whole or found late whole; as with single values, a thread preempted
    // while writing a run into a window as it is dropped may add it after it was counted
    assertThat(inSlots).isLessThanOrEqualTo(totalRecorded)
        .isGreaterThanOrEqualTo(totalRecorded - (long) threads
            * PerformanceDegradationDetector.GATHERED);
    assertThat(totalRecorded).isGreaterThan(total / 2);
  }
}
