package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.Outcome;
import io.batanomaly.Setting;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.detectors.highfailurerate.HighFailureRateDetectorProvider;
import io.batanomaly.detectors.performancedegradation.PerformanceDegradationDetectorProvider;
import io.batanomaly.detectors.zombieversion.ZombieVersionDetectorProvider;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * The three policy-version detectors gather a batch per version before they touch shared state
 * ({@link Detector#observe(AcceptedEvents, FindingSink)}); that must find exactly what observing
 * the same events one by one finds. Two engines with the three detectors see the same batches
 * of random evaluations (several tenants, modules, functions and versions, failures in bursts,
 * slowdowns, events out of order and late, a version budget small enough that versions are
 * evicted and shed, declared versions); in one the detectors are called per event. After every
 * batch and tick both report the same anomalies opened and updated, and in the end the same
 * anomalies and the same detector counters.
 */
class PolicyBatchEquivalenceTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] TENANTS = {"acme", "globex"};
  private static final String[] MODULES = {"payments", "pricing"};
  private static final String[] FUNCTIONS = {"authorize", "quote"};
  private static final String[] VERSIONS = {"v1", "v2", "v3"};

  @Property(tries = 40)
  void gatheringABatchPerVersionFindsWhatObservingEachEventFinds(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int budget) {
    Random random = new Random(seed);
    ManualClock batchClock = new ManualClock(T0);
    ManualClock eventClock = new ManualClock(T0);
    try (AnomalyEngine batched = engine(batchClock, budget, false);
        AnomalyEngine perEvent = engine(eventClock, budget, true)) {
      long base = T0.toEpochMilli();
      for (int b = 0; b < 30; b++) {
        base += random.nextInt(4) == 0 ? random.nextInt(300_000) : random.nextInt(30_000);
        List<AuditEvent> batch = batch(random, base);
        for (ManualClock c : List.of(batchClock, eventClock)) {
          c.set(Instant.ofEpochMilli(base + 2_000));
        }
        IngestResult expected = perEvent.ingest(batch);
        IngestResult actual = batched.ingest(batch);
        assertThat(actual.accepted()).isEqualTo(expected.accepted());
        assertThat(withoutIds(actual.opened()))
            .isEqualTo(withoutIds(expected.opened()));
        assertThat(withoutIds(actual.updated()))
            .isEqualTo(withoutIds(expected.updated()));
        if (random.nextInt(6) == 0) {
          String tenant = TENANTS[random.nextInt(TENANTS.length)];
          String module = MODULES[random.nextInt(MODULES.length)];
          String function = FUNCTIONS[random.nextInt(FUNCTIONS.length)];
          String version = VERSIONS[random.nextInt(VERSIONS.length)];
          batched.activateVersion(tenant, module, function, version);
          perEvent.activateVersion(tenant, module, function, version);
        }
        batched.tick();
        perEvent.tick();
      }
      for (String tenant : TENANTS) {
        List<Anomaly> expected = all(perEvent, tenant);
        Statistics.label("anomalies").collect(expected.stream().map(Anomaly::type).sorted()
            .distinct().toList());
        assertThat(all(batched, tenant)).isEqualTo(expected);
      }
      assertThat(batched.health().detectors()).isEqualTo(perEvent.health().detectors());
    }
  }

  /** Up to 400 evaluations around {@code base}: skewed versions, bursts of failures. */
  private static List<AuditEvent> batch(Random random, long base) {
    int n = random.nextInt(400);
    // per batch, a version that fails often and one that is slow
    String failing = VERSIONS[random.nextInt(VERSIONS.length)];
    String slow = VERSIONS[random.nextInt(VERSIONS.length)];
    List<AuditEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String version = VERSIONS[Math.min(VERSIONS.length - 1, random.nextInt(5))];
      long t = base - 2_000 + i * 5L;
      int jitter = random.nextInt(50);
      if (jitter == 0) {
        t -= random.nextInt(600_000); // late, often beyond what a window still holds
      } else if (jitter < 5) {
        t -= random.nextInt(5_000);
      }
      boolean fails = random.nextInt(100) < (version.equals(failing) ? 40 : 3);
      double millis = (version.equals(slow) ? 12 : 4) * Math.exp(0.3 * random.nextGaussian());
      AuditEvent.Builder e = AuditEvent.builder()
          .tenant(TENANTS[random.nextInt(8) == 0 ? 1 : 0])
          .service("policy-engine")
          .epochMillis(t)
          .eventType("policy.evaluation")
          .policyModule(MODULES[random.nextInt(4) == 0 ? 1 : 0])
          .policyFunction(FUNCTIONS[random.nextInt(3) == 0 ? 1 : 0])
          .versionId(version);
      if (random.nextInt(20) != 0) {
        e.outcome(fails ? Outcome.FAILURE : Outcome.SUCCESS);
      }
      if (random.nextInt(20) != 0) {
        e.executionTimeMillis(millis);
      }
      events.add(e.build());
    }
    return events;
  }

  private static AnomalyEngine engine(ManualClock clock, int budget, boolean perEvent) {
    List<DetectorProvider> providers = List.of(new HighFailureRateDetectorProvider(),
        new ZombieVersionDetectorProvider(), new PerformanceDegradationDetectorProvider());
    AnomalyEngine.Builder b = AnomalyEngine.builder()
        .config(AnomalyConfig.defaults().toBuilder()
            .set("ANOMALY_POLICY_MAX_VERSIONS", Integer.toString(budget))
            .set("ANOMALY_FAILURE_RATE_WINDOW", "1")
            .set("ANOMALY_FAILURE_RATE_BASELINE", "2")
            .set("ANOMALY_FAILURE_RATE_MIN_SAMPLES", "5")
            .set("ANOMALY_ZOMBIE_WINDOW", "2")
            .set("ANOMALY_ZOMBIE_GRACE", "1")
            .set("ANOMALY_ZOMBIE_MIN_EVALUATIONS", "3")
            .set("ANOMALY_PERFORMANCE_WINDOW", "1")
            .set("ANOMALY_PERFORMANCE_BASELINE", "2")
            .set("ANOMALY_PERFORMANCE_MIN_SAMPLES", "5")
            .set("ANOMALY_PERFORMANCE_STATISTIC", "either")
            .build())
        .clock(clock)
        .autoTick(false)
        .discoverDetectors(false)
        .verificationExecutor(Runnable::run);
    for (DetectorProvider p : providers) {
      b.detector(perEvent ? oneByOne(p) : p);
    }
    return b.build();
  }

  /**
   * The provider's detector behind one that does not override the batch method, so the engine
   * calls it once per event.
   */
  private static DetectorProvider oneByOne(DetectorProvider real) {
    return new DetectorProvider() {
      @Override
      public String name() {
        return real.name();
      }

      @Override
      public List<Setting<?>> settings() {
        return real.settings();
      }

      @Override
      public Detector create(DetectorContext context) {
        Detector d = real.create(context);
        return new Detector() {
          @Override
          public Set<String> types() {
            return d.types();
          }

          @Override
          public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
            d.observe(event, scope, sink);
          }

          @Override
          public void tick(long nowMillis, FindingSink sink) {
            d.tick(nowMillis, sink);
          }

          @Override
          public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
            return d.reevaluate(anomaly, nowMillis);
          }

          @Override
          public void onVersionActivated(TenantScope tenant, String policyModule,
              String policyFunction, String versionId, long atMillis) {
            d.onVersionActivated(tenant, policyModule, policyFunction, versionId, atMillis);
          }

          @Override
          public Map<String, Long> stats() {
            return d.stats();
          }
        };
      }
    };
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
    for (int page = 0; ; page++) {
      List<AnomalySummary> content =
          engine.anomalies().list(tenant, new AnomalyQuery(null, 7, page, 200)).content();
      for (AnomalySummary s : content) {
        out.add(engine.anomalies().get(tenant, s.id()));
      }
      if (content.size() < 200) {
        break;
      }
    }
    out.sort(Comparator.comparing(Anomaly::type).thenComparing(Anomaly::subject)
        .thenComparing(Anomaly::detectedAt));
    return withoutIds(out);
  }

  @Property(tries = 10)
  void batchesGatheredWhileOtherThreadsSweepTheTableAreCountedInTrackedVersions(
      @ForAll long seed) throws Exception {
    // budget 3 for 24 versions: every thread's creations sweep versions other threads' batches
    // are gathering for; those batches then count in the versions tracked under the keys now
    ManualClock clock = new ManualClock(T0);
    try (AnomalyEngine engine = engine(clock, 3, false)) {
      clock.set(T0.plusSeconds(60));
      int threads = 4;
      Concurrently.run(threads, id -> {
        Random random = new Random(seed + id);
        for (int b = 0; b < 40; b++) {
          List<AuditEvent> batch = batch(random, T0.toEpochMilli() + 50_000);
          engine.ingest(batch);
        }
      });
      assertThat(engine.health().detectorErrors()).isZero();
      for (Map<String, Long> stats : engine.health().detectors().values()) {
        assertThat(stats.get("keysTracked")).isBetween(1L, 3L * TENANTS.length);
        assertThat(stats.get("keysEvicted") + stats.get("keysExpired")).isPositive();
      }
    }
  }
}
