package io.batanomaly.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.RejectReason;
import io.batanomaly.detectors.bruteforce.BruteForceProvider;
import io.batanomaly.testkit.ManualClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatanomalyMetricsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final MockClock meterClock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT,
      meterClock);
  private AnomalyEngine engine;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private AnomalyEngine bruteForceEngine(Map<String, String> settings) {
    engine = AnomalyEngine.builder().clock(clock).autoTick(false).discoverDetectors(false)
        .detector(new BruteForceProvider()).config(AnomalyConfig.fromMap(settings)).build();
    return engine;
  }

  private static AuditEvent failedLogin(String identifier, Instant at) {
    return AuditEvent.builder().tenant("acme-corp").service("auth").timestamp(at)
        .method("POST").status(401).identifier(identifier).build();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void countsAcceptedEventsRejectionsByReasonAndTheAnomaliesTheyOpen() {
    bruteForceEngine(Map.of());
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      batch.add(failedLogin("10.0.0.7", T0.minusSeconds(60 - i)));
    }
    batch.add(AuditEvent.builder().service("auth").timestamp(T0).status(200).build());
    batch.add(failedLogin("10.0.0.8", T0.plus(Duration.ofHours(1))));
    engine.ingest(batch);
    new BatanomalyMetrics(engine).bindTo(registry);

    EngineHealth h = engine.health();
    assertThat(counter("batanomaly.events.accepted")).isEqualTo(12);
    assertThat(counter("batanomaly.events.rejected", "reason", "MISSING_TENANT")).isEqualTo(1);
    assertThat(counter("batanomaly.events.rejected", "reason", "TIMESTAMP_IN_FUTURE"))
        .isEqualTo(1);
    assertThat(counter("batanomaly.events.rejected", "reason", "LATE")).isZero();
    assertThat(registry.get("batanomaly.events.rejected").functionCounters())
        .hasSize(RejectReason.values().length);
    assertThat(counter("batanomaly.batches")).isEqualTo(1);
    assertThat(gauge("batanomaly.tenants.tracked")).isEqualTo(1);
    assertThat(gauge("batanomaly.services.tracked")).isEqualTo(1);
    assertThat(counter("batanomaly.anomalies.opened")).isEqualTo(1);
    assertThat(gauge("batanomaly.anomalies.active")).isEqualTo(1);
    assertThat(counter("batanomaly.findings.deduplicated")).isEqualTo(h.findingsDeduplicated());
    assertThat(counter("batanomaly.findings.suppressed")).isZero();
    assertThat(gauge("batanomaly.verifications.pending")).isZero();
    assertThat(counter("batanomaly.verifications.failed")).isZero();
    assertThat(counter("batanomaly.notifications.dropped")).isZero();
    assertThat(counter("batanomaly.listener.failures")).isZero();
    assertThat(gauge("batanomaly.listener.queue.depth")).isZero();
    assertThat(counter("batanomaly.detector.errors")).isZero();
    assertThat(gauge("batanomaly.idempotency.keys")).isZero();
    assertThat(counter("batanomaly.idempotency.keys.dropped")).isZero();
    assertThat(counter("batanomaly.scopes.evicted")).isZero();
    assertThat(gauge("batanomaly.store.available")).isEqualTo(1);
    assertThat(gauge("batanomaly.findings.buffered")).isZero();
    assertThat(counter("batanomaly.findings.overflowed")).isZero();
    assertThat(gauge("batanomaly.detector.keys.tracked", "detector", "brute_force")).isEqualTo(1);
  }

  @Test
  void exportsEachDetectorsKeysTrackedAndEvictedTaggedByDetector() {
    bruteForceEngine(Map.of("ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS", "100"));
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      batch.add(failedLogin("user-" + i, T0.minusSeconds(100).plusMillis(i)));
    }
    engine.ingest(batch);
    new BatanomalyMetrics(engine).bindTo(registry);

    Map<String, Long> stats = engine.health().detectors().get("brute_force");
    assertThat(stats.get("keysEvicted")).isPositive();
    assertThat(registry.get("batanomaly.detector.keys.tracked").tag("detector", "brute_force")
        .meter()).isInstanceOf(Gauge.class);
    assertThat(gauge("batanomaly.detector.keys.tracked", "detector", "brute_force"))
        .isEqualTo(stats.get("keysTracked").doubleValue()).isLessThanOrEqualTo(110);
    assertThat(counter("batanomaly.detector.keys.evicted", "detector", "brute_force"))
        .isEqualTo(stats.get("keysEvicted").doubleValue());
    assertThat(counter("batanomaly.detector.keys.shed", "detector", "brute_force"))
        .isEqualTo(stats.get("keysShed").doubleValue());
    assertThat(counter("batanomaly.detector.keys.expired", "detector", "brute_force"))
        .isEqualTo(stats.get("keysExpired").doubleValue());
    assertThat(stats.get("keysTracked") + stats.get("keysEvicted") + stats.get("keysShed")
        + stats.get("keysExpired")).isEqualTo(1_000);
  }

  @Test
  void neverTagsAMeterByTenantServiceOrIdentifier() {
    bruteForceEngine(Map.of());
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(failedLogin("10.0.0." + i, T0.minusSeconds(30)));
    }
    engine.ingest(batch);
    new BatanomalyMetrics(engine::health,
        Tags.of("engine", "main")).bindTo(registry);

    Set<String> keys = new HashSet<>();
    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getName()).startsWith("batanomaly.");
      for (Tag t : m.getId().getTags()) {
        keys.add(t.getKey());
        assertThat(t.getValue()).doesNotContain("acme-corp").doesNotContain("auth")
            .doesNotStartWith("10.0.0.");
      }
      assertThat(m.getId().getTag("engine")).isEqualTo("main");
    }
    assertThat(keys).containsExactlyInAnyOrder("engine", "reason", "detector");
  }

  @Test
  void oneScrapeTakesOneSnapshotAndTheNextSecondTakesANewOne() {
    bruteForceEngine(Map.of());
    AtomicInteger snapshots = new AtomicInteger();
    new BatanomalyMetrics(() -> {
      snapshots.incrementAndGet();
      return engine.health();
    }, Tags.empty()).bindTo(registry);
    int atBind = snapshots.get();

    registry.getMeters().forEach(BatanomalyMetricsTest::read);
    assertThat(snapshots.get() - atBind).isLessThanOrEqualTo(1);
    assertThat(counter("batanomaly.events.accepted")).isZero();

    engine.ingest(List.of(failedLogin("10.0.0.7", T0)));
    assertThat(counter("batanomaly.events.accepted")).isZero();
    meterClock.add(1, TimeUnit.SECONDS);
    int before = snapshots.get();
    registry.getMeters().forEach(BatanomalyMetricsTest::read);
    assertThat(snapshots.get() - before).isEqualTo(1);
    assertThat(counter("batanomaly.events.accepted")).isEqualTo(1);
  }

  @Test
  void theFirstScrapeSeesWhatWasIngestedAfterBinding() {
    bruteForceEngine(Map.of());
    new BatanomalyMetrics(engine).bindTo(registry);
    engine.ingest(List.of(failedLogin("10.0.0.7", T0)));
    assertThat(counter("batanomaly.events.accepted")).isEqualTo(1);
  }

  @Test
  void keepsReadingAfterTheBinderItselfIsNoLongerReferenced() {
    bruteForceEngine(Map.of());
    engine.ingest(List.of(failedLogin("10.0.0.7", T0)));
    new BatanomalyMetrics(engine).bindTo(registry);
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    meterClock.add(2, TimeUnit.SECONDS);
    assertThat(counter("batanomaly.events.accepted")).isEqualTo(1);
    assertThat(gauge("batanomaly.tenants.tracked")).isEqualTo(1);
  }

  @Test
  void refusesCommonTagsThatWouldCollideWithItsOwn() {
    assertThatThrownBy(() -> new BatanomalyMetrics(() -> null, Tags.of("reason", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the tag key 'reason' is set by the binder itself, but was given among the"
            + " common tags");
  }

  @Test
  void namesDetectorCountersTheMicrometerWay() {
    assertThat(BatanomalyMetrics.dotted("keysTracked")).isEqualTo("keys.tracked");
    assertThat(BatanomalyMetrics.dotted("lateEvents")).isEqualTo("late.events");
    assertThat(BatanomalyMetrics.dotted("findings")).isEqualTo("findings");
    assertThat(BatanomalyMetrics.dotted("windows_judged")).isEqualTo("windows.judged");
  }

  private static void read(Meter m) {
    if (m instanceof FunctionCounter) {
      ((FunctionCounter) m).count();
    } else if (m instanceof Gauge) {
      ((Gauge) m).value();
    }
  }
}
