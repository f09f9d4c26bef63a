package io.batanomaly.detectors.volumespike;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class VolumeSpikeDetectorTest {
  private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
  private final List<AnomalyEngine> engines = new ArrayList<>();

  private AnomalyEngine engine(ManualClock clock) {
    AnomalyEngine engine = AnomalyEngine.builder().config(AnomalyConfig.defaults()).clock(clock)
        .discoverDetectors(false).detector(new VolumeSpikeProvider()).autoTick(false)
        .verificationExecutor(Runnable::run).build();
    engines.add(engine);
    return engine;
  }

  @AfterEach
  void close() {
    engines.forEach(AnomalyEngine::close);
  }

  /** Ingests events one event-time second per batch, the clock following event time. */
  private static void replay(AnomalyEngine engine, ManualClock clock, List<AuditEvent> events) {
    TreeMap<Long, List<AuditEvent>> bySecond = new TreeMap<>();
    events.stream().sorted(Comparator.comparingLong(AuditEvent::epochMillis)).forEach(e ->
        bySecond.computeIfAbsent(Math.floorDiv(e.epochMillis(), 1000), k -> new ArrayList<>())
            .add(e));
    bySecond.forEach((second, batch) -> {
      clock.advanceTo(Instant.ofEpochMilli(second * 1000 + 999));
      assertThat(engine.ingest(batch).rejected()).isEmpty();
    });
  }

  private static Set<String> spikedServices(AnomalyEngine engine, String tenant) {
    return Anomalies.of(engine, tenant, "VOLUME_SPIKE").stream().map(Anomaly::subject)
        .collect(Collectors.toSet());
  }

  /**
   * The sensitivity requirement: a burst of three times the normal rate lasting 20 s, starting
   * anywhere inside a second, is caught on services of 2 to 50 events/s every time, and on at
   * least 95% of services at exactly 1 event/s.
   */
  @Test
  @Timeout(120)
  void catchesAThreeFoldBurstOfTwentySecondsOnServicesBusierThanOneEventPerSecond() {
    ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    AnomalyEngine engine = engine(clock);
    SplittableRandom random = new SplittableRandom(31);
    List<AuditEvent> events = new ArrayList<>();
    List<String> slow = new ArrayList<>();
    List<String> busy = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      boolean isSlow = i < 200;
      double rate = isSlow ? 1.0 : 2.0 * Math.pow(25, random.nextDouble());
      String service = (isSlow ? "slow-" : "busy-") + i;
      (isSlow ? slow : busy).add(service);
      long burstStart = T0 + 360_000 + (long) (random.nextDouble() * 60_000);
      long end = T0 + 480_000;
      events.addAll(Traffic.poisson("acme", service, T0, end, rate, random));
      events.addAll(Traffic.poisson("acme", service, burstStart, burstStart + 20_000, 2 * rate,
          random));
    }
    replay(engine, clock, events);
    Set<String> spiked = spikedServices(engine, "acme");
    assertThat(spiked).containsAll(busy);
    long caughtSlow = slow.stream().filter(spiked::contains).count();
    assertThat(caughtSlow).isGreaterThanOrEqualTo(190);
  }

  @Test
  void judgesAServiceOnlyOnceItHasSentForAFullWindow() {
    ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    AnomalyEngine engine = engine(clock);
    SplittableRandom random = new SplittableRandom(5);
    // 4 minutes of traffic, then a ten-fold burst: not judged yet, the window is 5 minutes
    List<AuditEvent> events = new ArrayList<>(
        Traffic.poisson("acme", "young", T0, T0 + 270_000, 5, random));
    events.addAll(Traffic.poisson("acme", "young", T0 + 240_000, T0 + 270_000, 45, random));
    replay(engine, clock, events);
    assertThat(spikedServices(engine, "acme")).isEmpty();
    assertThat(engine.health().detectors().get("volume_spike").get("evaluations")).isZero();
  }

  @Test
  void trafficResumingAfterAWindowOfSilenceIsNotASpike() {
    ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    AnomalyEngine engine = engine(clock);
    SplittableRandom random = new SplittableRandom(6);
    List<AuditEvent> events = new ArrayList<>(
        Traffic.poisson("acme", "batch", T0, T0 + 600_000, 5, random));
    // silent for ten minutes, then back at the usual rate
    events.addAll(Traffic.poisson("acme", "batch", T0 + 1_200_000, T0 + 1_800_000, 5, random));
    replay(engine, clock, events);
    assertThat(spikedServices(engine, "acme")).isEmpty();
  }

  @Test
  void trafficResumingAfterAPauseShorterThanTheWindowIsNotASpike() {
    // Regression: a pause shorter than the window put its empty seconds into the baseline, so
    // the usual rate coming back looked like several times the baseline.
    for (long pause : new long[] {30_000, 120_000, 200_000, 280_000}) {
      ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
      AnomalyEngine engine = engine(clock);
      SplittableRandom random = new SplittableRandom(7);
      List<AuditEvent> events = new ArrayList<>(
          Traffic.poisson("acme", "batch", T0, T0 + 600_000, 5, random));
      events.addAll(Traffic.poisson("acme", "batch", T0 + 600_000 + pause,
          T0 + 1_200_000 + pause, 5, random));
      replay(engine, clock, events);
      assertThat(spikedServices(engine, "acme")).as("after a pause of %s ms", pause).isEmpty();
    }
  }

  @Test
  void aBurstAfterAShortPauseIsCaughtOnceAWindowHasPassed() {
    ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    AnomalyEngine engine = engine(clock);
    SplittableRandom random = new SplittableRandom(8);
    List<AuditEvent> events = new ArrayList<>(
        Traffic.poisson("acme", "batch", T0, T0 + 600_000, 5, random));
    events.addAll(Traffic.poisson("acme", "batch", T0 + 660_000, T0 + 1_200_000, 5, random));
    events.addAll(Traffic.poisson("acme", "batch", T0 + 1_100_000, T0 + 1_130_000, 40, random));
    replay(engine, clock, events);
    assertThat(spikedServices(engine, "acme")).containsExactly("batch");
  }

  @Test
  void countsOutOfOrderEventsInsideTheLatenessIntoTheirOwnSecond() {
    ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    AnomalyEngine engine = engine(clock);
    List<AuditEvent> events = new ArrayList<>();
    // a steady 4 events/s for 6 minutes; the burst's events arrive up to 8 s late
    for (long s = 0; s < 360; s++) {
      for (int k = 0; k < 4; k++) {
        events.add(Traffic.get("acme", "orders", T0 + s * 1000 + k * 250));
      }
    }
    List<AuditEvent> burst = new ArrayList<>();
    for (long s = 340; s < 360; s++) {
      for (int k = 0; k < 12; k++) {
        burst.add(Traffic.get("acme", "orders", T0 + s * 1000 + k * 80));
      }
    }
    TreeMap<Long, List<AuditEvent>> batches = new TreeMap<>();
    for (AuditEvent e : events) {
      batches.computeIfAbsent(Math.floorDiv(e.epochMillis(), 1000), k -> new ArrayList<>())
          .add(e);
    }
    for (AuditEvent e : burst) {
      // delivered with the batch 8 seconds later
      batches.computeIfAbsent(Math.floorDiv(e.epochMillis(), 1000) + 8, k -> new ArrayList<>())
          .add(e);
    }
    batches.forEach((second, batch) -> {
      clock.advanceTo(Instant.ofEpochMilli(second * 1000 + 999));
      assertThat(engine.ingest(batch).rejected()).isEmpty();
    });
    // the late burst lands in seconds 340..359; judged when the following seconds close
    List<Anomaly> found = Anomalies.of(engine, "acme", "VOLUME_SPIKE");
    assertThat(found).hasSize(1);
    Anomaly a = found.get(0);
    assertThat(a.metrics()).containsKeys("currentRate", "baselineRate", "baselineStdDev",
        "zScore", "currentWindowStart", "currentWindowEnd", "baselineWindowStart",
        "baselineWindowEnd");
    assertThat(a.metrics().get("baselineRate").toString()).isEqualTo("4");
    assertThat(a.service()).isEqualTo("orders");
  }

  @Test
  void keepsTenantsApart() {
    ManualClock clock = new ManualClock(Instant.ofEpochMilli(T0));
    AnomalyEngine engine = engine(clock);
    SplittableRandom random = new SplittableRandom(8);
    List<AuditEvent> events = new ArrayList<>();
    // the same service name in two tenants: one steady, one bursting on top of the same rate
    events.addAll(Traffic.poisson("acme", "api", T0, T0 + 420_000, 5, random));
    events.addAll(Traffic.poisson("globex", "api", T0, T0 + 420_000, 5, random));
    events.addAll(Traffic.poisson("acme", "api", T0 + 360_000, T0 + 390_000, 20, random));
    replay(engine, clock, events);
    assertThat(spikedServices(engine, "acme")).containsExactly("api");
    assertThat(spikedServices(engine, "globex")).isEmpty();
  }
}
