package io.batanomaly.detectors.zombieversion;

import static io.batanomaly.detectors.Anomalies.number;
import static io.batanomaly.detectors.PolicyEvents.evaluation;
import static io.batanomaly.detectors.PolicyEvents.fiveMillis;
import static io.batanomaly.detectors.PolicyEvents.steady;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ZombieVersionDetectorTest extends PolicyDetectorContract {

  private static final Duration EVERY_6S = Duration.ofSeconds(6);
  private static final String TYPE = ZombieVersionDetector.TYPE;

  @Override
  protected DetectorProvider provider() {
    return new ZombieVersionDetectorProvider();
  }

  @Override
  protected String expectedType() {
    return TYPE;
  }

  /**
   * Traffic split between an old and a new version: of every {@code outOf} evaluations,
   * {@code old} go to {@code oldVersion}, the rest to {@code newVersion}.
   */
  static List<AuditEvent> split(String tenant, String oldVersion, String newVersion,
      Instant from, Duration span, int old, int outOf) {
    List<AuditEvent> events = new ArrayList<>();
    int i = 0;
    for (Instant t = from; t.isBefore(from.plus(span)); t = t.plus(EVERY_6S), i++) {
      String version = i % outOf < old ? oldVersion : newVersion;
      events.add(evaluation(tenant, version, t, Outcome.SUCCESS, 5));
    }
    return events;
  }

  /** v1 alone for half an hour, then v2 takes 80% and 20% stays on v1 for an hour. */
  @Override
  protected Scenario incident(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>(
        steady(tenant, "v1", start, Duration.ofMinutes(30), EVERY_6S, 0, fiveMillis()));
    events.addAll(split(tenant, "v1", "v2", start.plus(Duration.ofMinutes(30)),
        Duration.ofHours(1), 1, 5));
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(20));
  }

  /** v1 alone for half an hour, then a rollout to v2 in five minutes, then v2 alone. */
  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>(
        steady(tenant, "v1", start, Duration.ofMinutes(30), EVERY_6S, 0, fiveMillis()));
    Instant rollout = start.plus(Duration.ofMinutes(30));
    for (int minute = 0; minute < 5; minute++) {
      // 100%, 80%, 60%, 40%, 20% on v1
      events.addAll(split(tenant, "v1", "v2", rollout.plus(Duration.ofMinutes(minute)),
          Duration.ofMinutes(1), 5 - minute, 5));
    }
    events.addAll(steady(tenant, "v2", rollout.plus(Duration.ofMinutes(5)),
        Duration.ofMinutes(90), EVERY_6S, 0, fiveMillis()));
    return Scenario.of(events);
  }


  @Test
  void twentyPercentStayingOnTheOldVersionForAnHourIsAZombie() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    incident("acme", T0).play(engine, clock);
    Instant rollout = T0.plus(Duration.ofMinutes(30));

    List<Anomaly> found = Anomalies.of(engine, "acme", TYPE);
    assertThat(found).hasSize(1);
    Anomaly a = found.get(0);
    assertThat(a.subject()).isEqualTo("payments/authorize@v1");
    assertThat(a.versionId()).isEqualTo("v1");
    assertThat(a.metrics().get("activeVersionId")).isEqualTo("v2");
    assertThat(a.metrics().get("activeSource")).isEqualTo("traffic");
    // v2 carried half of the 15-minute window about ten minutes into the rollout
    assertThat((Instant) a.metrics().get("activeSince"))
        .isBetween(rollout.plus(Duration.ofMinutes(5)), rollout.plus(Duration.ofMinutes(15)));
    assertThat((long) a.metrics().get("evaluationCount")).isGreaterThanOrEqualTo(10);
    assertThat(number(a, "trafficShare")).isCloseTo(0.2, within(0.03));
    // a fifth of the traffic is twice the 10% reference share
    assertThat(a.severity()).isEqualTo(Severity.HIGH);
    // not before the 30-minute grace period after the takeover
    assertThat(a.detectedAt()).isAfter(rollout.plus(Duration.ofMinutes(40)))
        .isBefore(rollout.plus(Duration.ofMinutes(60)));
    assertThat(a.summary()).contains("payments/authorize@v1")
        .containsPattern("\\(2\\d\\.\\d% of payments/authorize\\) in the last 1\\d min")
        .contains("v2 took over the traffic");
    assertThat(a.recommendedActions()).first().asString().contains("current version v2");
  }

  @Test
  void aRolloutCompletedInMinutesLeavesNoZombie() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    cleanTraffic("acme", T0).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  @Test
  void aCanaryThatNeverTakesOverSupersedesNothing() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = new ArrayList<>(
        steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_6S, 0, fiveMillis()));
    // v2 gets 10% for two hours: a canary, never the current version
    events.addAll(split("acme", "v1", "v2", T0.plus(Duration.ofMinutes(30)),
        Duration.ofHours(2), 9, 10));
    Scenario.of(events).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  @Test
  void aRollbackMakesTheOlderVersionCurrentAgainAndLeavesTheNewerOneAlone() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = new ArrayList<>(
        steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_6S, 0, fiveMillis()));
    events.addAll(steady("acme", "v2", T0.plus(Duration.ofMinutes(30)), Duration.ofMinutes(30),
        EVERY_6S, 0, fiveMillis()));
    // rolled back: 90% on v1 again, 10% still reaching v2, for an hour and a half
    events.addAll(split("acme", "v2", "v1", T0.plus(Duration.ofMinutes(60)),
        Duration.ofMinutes(90), 1, 10));
    Scenario.of(events).play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  @Test
  void aDeclaredVersionSupersedesTheVersionsSeenBeforeTheDeclaration() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    Scenario.of(steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_6S, 0, fiveMillis()))
        .play(engine, clock);
    Instant declared = T0.plus(Duration.ofMinutes(30));
    clock.advanceTo(declared);
    engine.activateVersion("acme", "payments", "authorize", "v2");
    // v2 never carries the majority: without the declaration v1 would stay current
    Scenario.of(split("acme", "v1", "v2", declared, Duration.ofHours(1), 7, 10))
        .play(engine, clock);

    Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
    assertThat(a.versionId()).isEqualTo("v1");
    assertThat(a.metrics().get("activeSource")).isEqualTo("declared");
    // the event time at the declaration: the newest event, moved on by the clock since
    assertThat((Instant) a.metrics().get("activeSince")).isBetween(declared.minusSeconds(6),
        declared);
    assertThat(number(a, "trafficShare")).isCloseTo(0.7, within(0.03));
    assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(a.detectedAt()).isAfterOrEqualTo(declared.plus(Duration.ofMinutes(30)))
        .isBefore(declared.plus(Duration.ofMinutes(35)));
  }

  @Test
  void aDraftFirstSeenAfterTheDeclarationIsNeverAZombie() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    clock.advanceTo(T0);
    engine.activateVersion("acme", "payments", "authorize", "v2");
    // v3 appears after the declaration with a fifth of the traffic, for two hours
    Scenario.of(split("acme", "v3", "v2", T0.plusSeconds(1), Duration.ofHours(2), 1, 5))
        .play(engine, clock);
    assertThat(Anomalies.of(engine, "acme", TYPE)).isEmpty();
  }

  /**
   * Plays events a second at a time with the engine clock {@code lag} ahead of event time, as
   * a host whose events reach the engine late (or replays old ones), ticking every 10 s.
   */
  private static void playLagging(AnomalyEngine engine, ManualClock clock,
      List<AuditEvent> events, Duration lag) {
    List<AuditEvent> sorted = new ArrayList<>(events);
    sorted.sort(java.util.Comparator.comparingLong(AuditEvent::epochMillis));
    int i = 0;
    long nextTick = Long.MIN_VALUE;
    while (i < sorted.size()) {
      long second = Math.floorDiv(sorted.get(i).epochMillis(), 1000);
      List<AuditEvent> batch = new ArrayList<>();
      while (i < sorted.size() && Math.floorDiv(sorted.get(i).epochMillis(), 1000) == second) {
        batch.add(sorted.get(i++));
      }
      long at = (second + 1) * 1000 - 1 + lag.toMillis();
      if (nextTick == Long.MIN_VALUE) {
        nextTick = at;
      }
      while (nextTick <= at) {
        clock.advanceTo(Instant.ofEpochMilli(nextTick));
        engine.tick();
        nextTick += 10_000;
      }
      clock.advanceTo(Instant.ofEpochMilli(at));
      assertThat(engine.ingest(batch).rejected()).isEmpty();
    }
  }

  @Test
  void aDraftFirstSeenAfterTheDeclarationIsNeverAZombieWhenEventsLagTheClock() {
    // Regression: the declaration was taken at the engine clock and compared with event-time
    // first-seen times, so with events ten minutes behind a new draft counted as superseded.
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    Duration lag = Duration.ofMinutes(10);
    playLagging(engine, clock, steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_6S, 0,
        fiveMillis()), lag);
    engine.activateVersion("acme", "payments", "authorize", "v2");
    Instant after = T0.plus(Duration.ofMinutes(30));
    List<AuditEvent> rollout = new ArrayList<>(
        split("acme", "v3", "v2", after, Duration.ofHours(2), 1, 5));
    // and a fifth of the traffic stays on v1: the real zombie
    rollout.addAll(steady("acme", "v1", after, Duration.ofHours(2), Duration.ofSeconds(30), 0,
        fiveMillis()));
    playLagging(engine, clock, rollout, lag);

    assertThat(Anomalies.of(engine, "acme", TYPE)).extracting(Anomaly::versionId)
        .containsExactly("v1");
  }

  @Test
  void theGracePeriodEndsByEventTimeDuringAReplayOfOlderEvents() {
    // Regression: the grace period started at the engine clock; replaying events a day old,
    // the watermark never reached its end and the zombie was never reported.
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    Duration lag = Duration.ofDays(1);
    playLagging(engine, clock, steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_6S, 0,
        fiveMillis()), lag);
    engine.activateVersion("acme", "payments", "authorize", "v2");
    Instant declared = T0.plus(Duration.ofMinutes(30));
    playLagging(engine, clock, split("acme", "v1", "v2", declared, Duration.ofHours(1), 7, 10),
        lag);

    Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
    assertThat(a.versionId()).isEqualTo("v1");
    assertThat((Instant) a.metrics().get("activeSince")).isBetween(declared.minusSeconds(10),
        declared);
  }

  @Test
  void verificationResolvesTheZombieOnceItsTrafficStops() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<AuditEvent> events = new ArrayList<>(
        steady("acme", "v1", T0, Duration.ofMinutes(30), EVERY_6S, 0, fiveMillis()));
    events.addAll(split("acme", "v1", "v2", T0.plus(Duration.ofMinutes(30)),
        Duration.ofHours(1), 1, 5));
    Scenario.of(events).play(engine, clock);
    Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
    assertThat(Anomalies.verify(engine, a).status()).isEqualTo(AnomalyStatus.OPEN);

    // the last callers move to v2
    Scenario.of(steady("acme", "v2", T0.plus(Duration.ofMinutes(90)), Duration.ofMinutes(20),
        EVERY_6S, 0, fiveMillis())).play(engine, clock);
    assertThat(Anomalies.verify(engine, a).status())
        .isEqualTo(AnomalyStatus.RESOLVED);
  }

  @Test
  void activateVersionRejectsMissingBlankAndOverlongArguments() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    assertThatThrownBy(() -> engine.activateVersion("acme", " ", "authorize", "v2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policyModule must not be blank, but was ' '");
    assertThatThrownBy(() -> engine.activateVersion("acme", "payments", "authorize", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("versionId must not be null");
    String tooLong = "v".repeat(1025);
    assertThatThrownBy(() -> engine.activateVersion("acme", "payments", "authorize", tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("versionId must be at most 1024 characters (ANOMALY_MAX_FIELD_LENGTH),"
            + " but had 1025");
    engine.close();
    assertThatThrownBy(() -> engine.activateVersion("acme", "payments", "authorize", "v2"))
        .isInstanceOf(IllegalStateException.class).hasMessage("the engine is closed");
  }

  @Test
  void evaluationsIngestedFromManyThreadsAreCountedExactly() throws Exception {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    engine.ingest(List.of(evaluation("acme", "v1", T0, Outcome.SUCCESS, 5),
        evaluation("acme", "v2", T0, Outcome.SUCCESS, 5)));
    engine.activateVersion("acme", "payments", "authorize", "v2");
    Instant after = T0.plus(Duration.ofMinutes(31));
    clock.advanceTo(after.plusSeconds(5));
    int threads = 8;
    int perThread = 2_000;
    List<List<AuditEvent>> batches = new ArrayList<>();
    for (int id = 0; id < threads; id++) {
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < perThread; i++) {
        // three in four on the superseded v1; all within five seconds, past the grace period
        batch.add(evaluation("acme", i % 4 == 0 ? "v2" : "v1",
            after.plusMillis((i * 7L + id) % 5_000), Outcome.SUCCESS, 5));
      }
      batches.add(batch);
    }
    Concurrently.run(threads, id -> {
      List<AuditEvent> batch = batches.get(id);
      for (int from = 0; from < perThread; from += 100) {
        assertThat(engine.ingest(batch.subList(from, from + 100)).rejected()).isEmpty();
      }
    });
    engine.tick();
    Anomaly a = Anomalies.of(engine, "acme", TYPE).get(0);
    assertThat(a.versionId()).isEqualTo("v1");
    assertThat(a.metrics().get("evaluationCount")).isEqualTo((long) threads * perThread * 3 / 4);
    assertThat(a.metrics().get("functionEvaluations")).isEqualTo((long) threads * perThread);
  }
}
