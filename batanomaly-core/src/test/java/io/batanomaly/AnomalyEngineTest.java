package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.CountingDetectorProvider.CountingDetector;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.ManualClock;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AnomalyEngineTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final List<AnomalyEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(AnomalyEngine::close);
  }

  private AnomalyEngine engine(AnomalyConfig config, DetectorProvider... providers) {
    AnomalyEngine.Builder b = AnomalyEngine.builder().config(config).clock(clock)
        .discoverDetectors(false).autoTick(false);
    Arrays.stream(providers).forEach(b::detector);
    AnomalyEngine e = b.build();
    engines.add(e);
    return e;
  }

  private static AuditEvent.Builder event(String service, Instant at) {
    return AuditEvent.builder().tenant("acme").service(service).timestamp(at).method("GET")
        .status(200).identifier("10.0.0.7");
  }

  private static CountingDetector counting(AnomalyEngine engine) {
    return (CountingDetector) engine.detector("counting");
  }

  @Test
  void rejectsEachBadEventWithAReasonAndProcessesTheRestOfTheBatch() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    List<AuditEvent> batch = Arrays.asList(
        event("billing", T0).build(),
        null,
        event("billing", T0).tenant(" ").build(),
        event("billing", T0).status(700).build(),
        event("billing", T0).executionTimeMillis(Double.NaN).build(),
        event("billing", T0).executionTime(Duration.ofMillis(-3)).build(),
        event("billing", T0.plus(Duration.ofHours(1))).build(),
        event("billing", T0).identifier("x".repeat(5000)).build(),
        event("", T0).build(),
        AuditEvent.builder().tenant("acme").service("billing").build(),
        event("billing", T0).status(0).build());

    IngestResult r = engine.ingest(batch);

    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.total()).isEqualTo(batch.size());
    assertThat(r.rejected()).extracting(RejectedEvent::index, RejectedEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, RejectReason.NULL_EVENT),
            org.assertj.core.groups.Tuple.tuple(2, RejectReason.MISSING_TENANT),
            org.assertj.core.groups.Tuple.tuple(3, RejectReason.INVALID_STATUS),
            org.assertj.core.groups.Tuple.tuple(4, RejectReason.INVALID_EXECUTION_TIME),
            org.assertj.core.groups.Tuple.tuple(5, RejectReason.INVALID_EXECUTION_TIME),
            org.assertj.core.groups.Tuple.tuple(6, RejectReason.TIMESTAMP_IN_FUTURE),
            org.assertj.core.groups.Tuple.tuple(7, RejectReason.FIELD_TOO_LONG),
            org.assertj.core.groups.Tuple.tuple(8, RejectReason.MISSING_SERVICE),
            org.assertj.core.groups.Tuple.tuple(9, RejectReason.MISSING_TIMESTAMP));
    assertThat(r.rejected().get(2).message())
        .isEqualTo("status must be 0 (none) or between 100 and 599, but was 700");
    assertThat(r.rejected().get(6).message())
        .isEqualTo("string fields must be at most 1024 characters, but identifier had 5000");
    assertThat(r.rejected()).allSatisfy(x -> assertThat(x.message()).isNotBlank());
    assertThat(counting(engine).seen.get()).isEqualTo(2);
    assertThat(engine.health().eventsRejected()).containsEntry(RejectReason.NULL_EVENT, 1L)
        .containsEntry(RejectReason.INVALID_EXECUTION_TIME, 2L);
    assertThat(engine.health().eventsAccepted()).isEqualTo(2);
  }

  @Test
  void throwsAClearMessageForANullBatch() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults());
    assertThatThrownBy(() -> engine.ingest((List<AuditEvent>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("batch must not be null");
    assertThatThrownBy(() -> engine.ingest((EventBatch) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("batch must not be null");
  }

  @Test
  void refusesIngestAfterClose() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults());
    engine.close();
    engine.close();
    assertThatThrownBy(() -> engine.ingest(List.of()))
        .isInstanceOf(IllegalStateException.class).hasMessage("the engine is closed");
  }

  @Test
  void countsOutOfOrderEventsInsideTheLatenessAndRejectsOlderOnesAsLate() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    engine.ingest(List.of(event("billing", T0).build()));
    IngestResult r = engine.ingest(List.of(
        event("billing", T0.minusSeconds(10)).build(),   // exactly the allowed lateness
        event("billing", T0.minusSeconds(3)).build(),
        event("billing", T0.minusMillis(10_001)).build()));
    assertThat(r.accepted()).isEqualTo(2);
    assertThat(r.rejected()).singleElement().satisfies(x -> {
      assertThat(x.index()).isEqualTo(2);
      assertThat(x.reason()).isEqualTo(RejectReason.LATE);
      assertThat(x.message()).contains("ANOMALY_ALLOWED_LATENESS");
    });
    assertThat(counting(engine).seen.get()).isEqualTo(3);
    assertThat(counting(engine).late.get()).isZero();
    assertThat(engine.health().eventsRejected()).containsEntry(RejectReason.LATE, 1L);
  }

  @Test
  void keepsEachTenantsWatermarkApart() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    engine.ingest(List.of(event("billing", T0).build()));
    IngestResult r = engine.ingest(List.of(
        event("billing", T0.minus(Duration.ofHours(1))).tenant("globex").build()));
    assertThat(r.accepted()).isEqualTo(1);
  }

  @Test
  void findsAThirdPartyDetectorThroughMetaInfServices(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services/io.batanomaly.spi.DetectorProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, "# a third-party detector\n"
        + CountingDetectorProvider.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        getClass().getClassLoader())) {
      AnomalyEngine engine = AnomalyEngine.builder().clock(clock).autoTick(false)
          .classLoader(loader).build();
      engines.add(engine);
      assertThat(engine.detectorNames()).contains("counting");
      engine.ingest(List.of(event("billing", T0).build()));
      assertThat(counting(engine).seen.get()).isEqualTo(1);
    }
  }

  /** A provider that reuses the counting detector's name. */
  public static final class Impostor implements DetectorProvider {
    @Override
    public String name() {
      return "counting";
    }

    @Override
    public Detector create(DetectorContext context) {
      throw new AssertionError("never created");
    }
  }

  @Test
  void failsFastNamingBothClassesWhenTwoProvidersShareAName() {
    assertThatThrownBy(() -> engine(AnomalyConfig.defaults(), new CountingDetectorProvider(),
            new Impostor()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'counting'")
        .hasMessageContaining(CountingDetectorProvider.class.getName())
        .hasMessageContaining(Impostor.class.getName());
  }

  @Test
  void validatesTheDetectorsOwnSettingsAtBuild() {
    AnomalyConfig bad = AnomalyConfig.fromMap(Map.of("ANOMALY_TEST_COUNT_EVERY", "-1"));
    assertThatThrownBy(() -> engine(bad, new CountingDetectorProvider()))
        .hasMessageContaining("ANOMALY_TEST_COUNT_EVERY must be a positive whole number,"
            + " but was '-1'");
  }

  @Test
  void skipsADetectorDisabledByConfiguration() {
    AnomalyEngine engine = engine(
        AnomalyConfig.fromMap(Map.of("ANOMALY_DISABLED_DETECTORS", "COUNT_REACHED")),
        new CountingDetectorProvider());
    assertThat(engine.detectorNames()).isEmpty();
    assertThat(engine.ingest(List.of(event("billing", T0).build())).accepted()).isEqualTo(1);
  }

  /** A detector that throws on every event. */
  public static final class Throwing implements DetectorProvider {
    @Override
    public String name() {
      return "throwing";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public java.util.Set<String> types() {
          return java.util.Set.of("NEVER");
        }

        @Override
        public void observe(AuditEvent e, io.batanomaly.spi.ServiceScope s,
            io.batanomaly.spi.FindingSink sink) {
          throw new IllegalStateException("broken detector");
        }

        @Override
        public io.batanomaly.spi.Reevaluation reevaluate(Anomaly a, long now) {
          throw new IllegalStateException("broken detector");
        }
      };
    }
  }

  @Test
  void aThrowingDetectorNeitherFailsTheBatchNorHidesEventsFromOtherDetectors() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new Throwing(),
        new CountingDetectorProvider());
    IngestResult r = engine.ingest(List.of(event("a", T0).build(), event("b", T0).build()));
    assertThat(r.accepted()).isEqualTo(2);
    assertThat(counting(engine).seen.get()).isEqualTo(2);
    assertThat(engine.health().detectorErrors()).isEqualTo(2);
  }

  @Test
  void turnsRepeatedFindingsIntoOneAnomalyWhoseSeverityOnlyRises() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    List<AuditEvent> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(event("billing", T0).build());
    }
    IngestResult first = engine.ingest(five);
    assertThat(first.opened()).hasSize(1);
    clock.advance(Duration.ofSeconds(5));
    IngestResult second = engine.ingest(five);
    assertThat(second.opened()).isEmpty();
    assertThat(second.updated()).singleElement().satisfies(a -> {
      assertThat(a.occurrences()).isEqualTo(2);
      assertThat(a.severity()).isEqualTo(io.batanomaly.api.Severity.MEDIUM);
      assertThat(a.lastSeenAt()).isEqualTo(T0.plusSeconds(5));
      assertThat(a.detectedAt()).isEqualTo(T0);
    });
    List<Anomaly> all = engine.anomalies().list("acme", AnomalyQuery.defaults()).content()
        .stream().map(s -> engine.anomalies().get("acme", s.id())).toList();
    assertThat(all).singleElement().satisfies(a -> {
      assertThat(a.metrics()).containsEntry("count", 10L);
      assertThat(a.subject()).isEqualTo("billing");
    });
  }

  @Test
  void eachBatchsResultListsOnlyWhatThatBatchRejectedOpenedAndUpdated() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    List<AuditEvent> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(event("billing", T0).build());
    }
    // the counting detector reports at five events of a service: two per service stay quiet
    java.util.function.Function<String, List<AuditEvent>> two =
        service -> List.of(event(service, T0).build(), event(service, T0).build());
    List<AuditEvent> twoAndNull = new ArrayList<>(two.apply("orders"));
    twoAndNull.add(null);

    assertThat(engine.ingest(five).opened()).hasSize(1);
    IngestResult clean = engine.ingest(two.apply("search"));
    assertThat(clean.accepted()).isEqualTo(2);
    assertThat(clean.rejected()).isEmpty();
    assertThat(clean.opened()).isEmpty();
    assertThat(clean.updated()).isEmpty();
    assertThat(engine.ingest(twoAndNull).rejected()).hasSize(1);
    assertThat(engine.ingest(two.apply("users")))
        .isEqualTo(new IngestResult(2, List.of(), List.of(), List.of()));
    assertThat(engine.ingest(List.of(event("cart", T0).build())).accepted()).isEqualTo(1);
    assertThat(engine.ingest(five).updated()).hasSize(1);
    assertThat(engine.ingest(two.apply("stock")))
        .isEqualTo(new IngestResult(2, List.of(), List.of(), List.of()));
  }

  @Test
  void opensNoNewAnomalyForTheSameRuleAndSubjectUntilTheCooldownHasPassed() {
    AnomalyEngine engine = engine(AnomalyConfig.fromMap(Map.of("ANOMALY_COOLDOWN", "1m")),
        new CountingDetectorProvider());
    List<AuditEvent> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(event("billing", T0).build());
    }
    Anomaly a = engine.ingest(five).opened().get(0);
    engine.anomalies().updateStatus("acme", a.id(), new io.batanomaly.api.StatusUpdateRequest(
        io.batanomaly.api.AnomalyStatus.RESOLVED, "fixed"), null);
    clock.advance(Duration.ofSeconds(59));
    IngestResult during = engine.ingest(five);
    assertThat(during.opened()).isEmpty();
    assertThat(engine.health().findingsSuppressed()).isEqualTo(1);
    // another subject is not affected by billing's cooldown
    List<AuditEvent> other = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      other.add(event("search", clock.instant()).build());
    }
    assertThat(engine.ingest(other).opened()).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    List<AuditEvent> later = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      later.add(event("billing", clock.instant()).build());
    }
    assertThat(engine.ingest(later).opened()).hasSize(1);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void notifiesListenersWithASystemAlertEventAndSurvivesAThrowingListener() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    List<AnomalyNotification> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    AnomalyEngine engine = AnomalyEngine.builder().clock(clock).discoverDetectors(false)
        .autoTick(false).detector(new CountingDetectorProvider())
        .listener(n -> {
          throw new IllegalStateException("listener down");
        })
        .listener(n -> {
          got.add(n);
          received.countDown();
        })
        .build();
    engines.add(engine);
    List<AuditEvent> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(event("billing", T0).build());
    }
    IngestResult r = engine.ingest(five);
    assertThat(r.accepted()).isEqualTo(5);
    assertThat(received.await(20, TimeUnit.SECONDS)).isTrue();
    AnomalyNotification n = got.get(0);
    assertThat(n.kind()).isEqualTo(AnomalyNotification.Kind.OPENED);
    assertThat(n.alert().eventType()).isEqualTo(AuditEvent.ALERT_EVENT_TYPE);
    assertThat(n.alert().tenant()).isEqualTo("acme");
    assertThat(n.alert().attributes())
        .containsEntry("anomalyId", n.anomaly().id())
        .containsEntry("anomalyType", "COUNT_REACHED")
        .containsEntry("subject", "billing")
        .containsEntry("severity", "LOW")
        .containsKey("summary");
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void countsEveryEventExactlyWhenManyThreadsIngestConcurrently() throws Exception {
    AnomalyEngine engine = engine(AnomalyConfig.fromMap(Map.of("ANOMALY_TEST_COUNT_EVERY",
        "1000000000")), new CountingDetectorProvider());
    int threads = 8;
    int batches = 200;
    int batchSize = 500;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger accepted = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int b = 0; b < batches; b++) {
          List<AuditEvent> batch = new ArrayList<>(batchSize);
          for (int i = 0; i < batchSize; i++) {
            batch.add(event("svc-" + ((id + i) % 7), T0.plusMillis(i % 5000))
                .tenant(i % 2 == 0 ? "acme" : "globex").build());
          }
          accepted.addAndGet(engine.ingest(batch).accepted());
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long expected = (long) threads * batches * batchSize;
    assertThat(accepted.get()).isEqualTo(expected);
    assertThat(engine.health().eventsAccepted()).isEqualTo(expected);
    assertThat(counting(engine).seen.get()).isEqualTo(expected);
    CountingDetector d = counting(engine);
    assertThat(d.late.get()).isZero();
    assertThat(d.ringTotal()).isEqualTo(expected);
    assertThat(engine.health().servicesTracked()).isEqualTo(14);
  }

  private AnomalyEngine engineWithIds(io.batanomaly.spi.AnomalyIdGenerator ids) {
    AnomalyEngine e = AnomalyEngine.builder().clock(clock).discoverDetectors(false)
        .autoTick(false).detector(new CountingDetectorProvider()).idGenerator(ids).build();
    engines.add(e);
    return e;
  }

  private static List<AuditEvent> five(String service, Instant at) {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(event(service, at).build());
    }
    return batch;
  }

  @Test
  void namesNewAnomaliesWithTheHostsIdGenerator() {
    AnomalyEngine engine = engineWithIds(f -> "inc-" + f.subject());
    Anomaly a = engine.ingest(five("billing", T0)).opened().get(0);
    assertThat(a.id()).isEqualTo("inc-billing");
    assertThat(engine.anomalies().get("acme", "inc-billing").subject()).isEqualTo("billing");
  }

  @Test
  void replacesABadOrReusedGeneratedIdWithARandomOneWithoutFailingIngest() {
    AnomalyEngine engine = engineWithIds(f -> {
      if (f.subject().equals("broken")) {
        throw new IllegalStateException("generator down");
      }
      return f.subject().equals("spaces") ? "has spaces" : "same-id";
    });
    Anomaly first = engine.ingest(five("billing", T0)).opened().get(0);
    IngestResult second = engine.ingest(five("search", T0));
    IngestResult third = engine.ingest(five("spaces", T0));
    IngestResult fourth = engine.ingest(five("broken", T0));
    assertThat(first.id()).isEqualTo("same-id");
    assertThat(second.opened()).singleElement()
        .satisfies(a -> assertThat(a.id()).startsWith("anom-"));
    assertThat(third.opened()).singleElement()
        .satisfies(a -> assertThat(a.id()).startsWith("anom-"));
    assertThat(fourth.accepted()).isEqualTo(5);
    assertThat(fourth.opened()).singleElement()
        .satisfies(a -> assertThat(a.id()).startsWith("anom-"));
  }

  @Test
  void acceptsTheEnginesOwnAlertEventsButHandsThemToNoDetector() {
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    AuditEvent alert = event("billing", T0).eventType(AuditEvent.ALERT_EVENT_TYPE).build();
    IngestResult r = engine.ingest(List.of(alert, event("billing", T0).build()));
    assertThat(r.accepted()).isEqualTo(2);
    assertThat(counting(engine).seen.get()).isEqualTo(1);
    assertThat(engine.health().eventsAccepted()).isEqualTo(2);
  }

  @Test
  void aFedBackAlertMovesNeitherTheWatermarkNorLastSeen() {
    // Regression: the engine's own alert, stamped with the engine clock, moved the tenant's
    // watermark there, so a producer lagging more than the allowed lateness became late.
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), new CountingDetectorProvider());
    clock.set(T0.plus(Duration.ofMinutes(2)));
    assertThat(engine.ingest(List.of(event("billing", T0).build())).accepted()).isEqualTo(1);
    AuditEvent alert = event("billing", clock.instant())
        .eventType(AuditEvent.ALERT_EVENT_TYPE).build();
    assertThat(engine.ingest(List.of(alert)).accepted()).isEqualTo(1);

    IngestResult r = engine.ingest(List.of(event("billing", T0.plusSeconds(1)).build()));

    assertThat(r.rejected()).isEmpty();
    assertThat(counting(engine).seen.get()).isEqualTo(2);
    assertThat(engine.health().servicesTracked()).isEqualTo(1);
  }

  /** A detector that throws an {@link Error} for every third event and on its first tick. */
  static final class ErrorThrowingProvider implements DetectorProvider {
    final AtomicInteger observed = new AtomicInteger();
    final AtomicInteger ticks = new AtomicInteger();
    final CountDownLatch ticked = new CountDownLatch(3);

    @Override
    public String name() {
      return "erroring";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public java.util.Set<String> types() {
          return java.util.Set.of("ERRORING");
        }

        @Override
        public void observe(AuditEvent event, io.batanomaly.spi.ServiceScope scope,
            io.batanomaly.spi.FindingSink sink) {
          if (observed.incrementAndGet() % 3 == 0) {
            throw new AssertionError("detector bug");
          }
        }

        @Override
        public void tick(long nowMillis, io.batanomaly.spi.FindingSink sink) {
          ticks.incrementAndGet();
          ticked.countDown();
          throw new NoClassDefFoundError("missing/Class");
        }

        @Override
        public io.batanomaly.spi.Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return io.batanomaly.spi.Reevaluation.cleared("nothing", Map.of());
        }
      };
    }
  }

  @Test
  void anErrorFromADetectorIsCountedAndTheRestOfTheBatchGoesThrough() {
    // Regression: an Error (not an exception) from a detector escaped ingest in the middle of
    // the batch, so the rest of it was never observed nor counted.
    ErrorThrowingProvider erroring = new ErrorThrowingProvider();
    AnomalyEngine engine = engine(AnomalyConfig.defaults(), erroring,
        new CountingDetectorProvider());
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      batch.add(event("billing", T0).build());
    }
    IngestResult r = engine.ingest(batch);
    assertThat(r.accepted()).isEqualTo(9);
    assertThat(counting(engine).seen.get()).isEqualTo(9);
    assertThat(engine.health().detectorErrors()).isEqualTo(3);
    engine.tick();
    assertThat(engine.health().detectorErrors()).isEqualTo(4);
  }

  @Test
  @Timeout(30)
  void anErrorFromADetectorsTickDoesNotStopTheEnginesOwnSchedule() throws Exception {
    // Regression: an Error escaping the scheduled tick cancelled the schedule for good:
    // silence checks, verification timeouts and expiry stopped without a word.
    ErrorThrowingProvider erroring = new ErrorThrowingProvider();
    AnomalyEngine engine = AnomalyEngine.builder().config(AnomalyConfig.defaults().toBuilder()
            .set("ANOMALY_TICK_INTERVAL", "20ms").build())
        .discoverDetectors(false).detector(erroring).build();
    engines.add(engine);
    assertThat(erroring.ticked.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(erroring.ticks.get()).isGreaterThanOrEqualTo(3);
  }
}
