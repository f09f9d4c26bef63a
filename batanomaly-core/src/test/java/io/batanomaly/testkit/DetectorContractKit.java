package io.batanomaly.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.spi.DetectorProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checks every detector must pass, built-in or third-party. Extend it, describe the
 * detector's incident and clean traffic, and the kit checks that the detector fires on its
 * incident, stays quiet on clean traffic, respects the cooldown, keeps tenants apart, keeps its
 * state within budget under a flood of keys, and re-evaluates for verification.
 *
 * <p>Engines built by the kit use a {@link ManualClock}, no own scheduler, and a same-thread
 * verification executor, so every check is deterministic.
 */
public abstract class DetectorContractKit {

  /** Where scenarios start: a fixed, recent instant. */
  protected static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final List<AnomalyEngine> engines = new ArrayList<>();

  /** @return the provider under test */
  protected abstract DetectorProvider provider();

  /** @return the anomaly type the incident raises */
  protected abstract String expectedType();

  /**
   * Returns events (and trailing quiet time) that must raise exactly one anomaly of
   * {@link #expectedType()} for {@code tenant}.
   *
   * @param tenant the tenant the events belong to
   * @param start when the scenario starts
   * @return the scenario
   */
  protected abstract Scenario incident(String tenant, Instant start);

  /**
   * Returns normal traffic that must raise nothing.
   *
   * @param tenant the tenant the events belong to
   * @param start when the scenario starts
   * @return the scenario
   */
  protected abstract Scenario cleanTraffic(String tenant, Instant start);

  /**
   * Returns traffic touching far more keys (identifiers, services, versions) than the
   * detector's budget under {@link #configForBoundedState()}.
   *
   * @param tenant the tenant
   * @param start when the scenario starts
   * @return the scenario
   */
  protected abstract Scenario manyKeys(String tenant, Instant start);

  /** @return the configuration every check runs with; override to adjust */
  protected AnomalyConfig config() {
    return AnomalyConfig.defaults();
  }

  /** @return the configuration of the bounded-state check, typically with a small budget */
  protected AnomalyConfig configForBoundedState() {
    return config();
  }

  /**
   * Reads the number of keys the detector tracks, from its stats.
   *
   * @param stats the detector's {@code stats()}
   * @return keys tracked
   */
  protected long trackedKeys(Map<String, Long> stats) {
    return stats.getOrDefault("keysTracked", 0L);
  }

  /** @return the most keys the detector may track under {@link #configForBoundedState()} */
  protected abstract long keyBudget();

  /** Builds an engine running only this detector. */
  protected final AnomalyEngine engine(ManualClock clock, AnomalyConfig config) {
    Executor sameThread = Runnable::run;
    AnomalyEngine engine = AnomalyEngine.builder()
        .config(config)
        .clock(clock)
        .discoverDetectors(false)
        .detector(provider())
        .autoTick(false)
        .verificationExecutor(sameThread)
        .build();
    engines.add(engine);
    return engine;
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(AnomalyEngine::close);
  }

  private static List<Anomaly> all(AnomalyEngine engine, String tenant) {
    return engine.anomalies().list(tenant, new AnomalyQuery(null, 3650, 0, 200)).content()
        .stream().map(s -> engine.anomalies().get(tenant, s.id())).toList();
  }

  @Test
  void firesOnItsIncident() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    incident("acme", T0).play(engine, clock);
    List<Anomaly> found = all(engine, "acme");
    assertThat(found).extracting(Anomaly::type).contains(expectedType());
    Anomaly a = found.stream().filter(x -> x.type().equals(expectedType())).findFirst()
        .orElseThrow();
    assertThat(a.summary()).isNotBlank();
    assertThat(a.metrics()).isNotEmpty();
    assertThat(a.recommendedActions()).isNotEmpty();
    assertThat(a.tenant()).isEqualTo("acme");
  }

  @Test
  void staysQuietOnCleanTraffic() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    cleanTraffic("acme", T0).play(engine, clock);
    assertThat(all(engine, "acme")).extracting(Anomaly::type).doesNotContain(expectedType());
  }

  @Test
  void keepsOneAnomalyWhileTheConditionLastsAndRespectsCooldownAfterItCloses() {
    ManualClock clock = new ManualClock(T0);
    AnomalyConfig config = config().toBuilder()
        .set(AnomalySettings.COOLDOWN, Duration.ofHours(6)).build();
    AnomalyEngine engine = engine(clock, config);
    incident("acme", T0).play(engine, clock);
    List<Anomaly> first = all(engine, "acme").stream()
        .filter(a -> a.type().equals(expectedType())).toList();
    assertThat(first).hasSize(1);
    Anomaly a = first.get(0);
    if (a.status() == AnomalyStatus.OPEN) {
      engine.anomalies().updateStatus("acme", a.id(),
          new StatusUpdateRequest(AnomalyStatus.RESOLVED, "handled"), null);
    }
    // the same incident again, within the cooldown: no new anomaly
    Instant again = clock.instant().plus(Duration.ofMinutes(30));
    incident("acme", again).play(engine, clock);
    assertThat(all(engine, "acme")).filteredOn(x -> x.type().equals(expectedType())).hasSize(1);
    // and after the cooldown: a new one
    Instant later = clock.instant().plus(Duration.ofHours(7));
    clock.advanceTo(later);
    engine.tick();
    incident("acme", clock.instant()).play(engine, clock);
    assertThat(all(engine, "acme")).filteredOn(x -> x.type().equals(expectedType())).hasSize(2);
  }

  @Test
  void keepsTenantsApart() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    List<io.batanomaly.AuditEvent> mixed = new ArrayList<>(incident("acme", T0).events());
    mixed.addAll(cleanTraffic("globex", T0).events());
    Scenario incident = incident("acme", T0);
    Scenario.of(mixed).thenQuietFor(quietOf(incident)).play(engine, clock);
    assertThat(all(engine, "acme")).extracting(Anomaly::type).contains(expectedType());
    assertThat(all(engine, "globex")).extracting(Anomaly::type).doesNotContain(expectedType());
  }

  /** Counts the anomalies of the expected type a tenant has. */
  private long countOf(AnomalyEngine engine, String tenant) {
    return all(engine, tenant).stream().filter(a -> a.type().equals(expectedType())).count();
  }

  @Test
  void anIncidentSplitAcrossTwoTenantsIsJudgedAsTwoSeparateHalves() {
    // one incident's events dealt alternately to two tenants must be judged exactly as each
    // half alone: a detector that pools tenants would see the whole incident in one of them
    Scenario incident = incident("acme", T0);
    List<io.batanomaly.AuditEvent> acme = new ArrayList<>();
    List<io.batanomaly.AuditEvent> globex = new ArrayList<>();
    List<io.batanomaly.AuditEvent> events = incident.events();
    for (int i = 0; i < events.size(); i++) {
      io.batanomaly.AuditEvent e = events.get(i);
      if (i % 2 == 0) {
        acme.add(e);
      } else {
        globex.add(e.toBuilder().tenant("globex").build());
      }
    }
    Duration quiet = quietOf(incident);
    ManualClock mixedClock = new ManualClock(T0);
    AnomalyEngine mixedEngine = engine(mixedClock, config());
    List<io.batanomaly.AuditEvent> both = new ArrayList<>(acme);
    both.addAll(globex);
    Scenario.of(both).thenQuietFor(quiet).play(mixedEngine, mixedClock);
    ManualClock acmeClock = new ManualClock(T0);
    AnomalyEngine acmeAlone = engine(acmeClock, config());
    Scenario.of(acme).thenQuietFor(quiet).play(acmeAlone, acmeClock);
    ManualClock globexClock = new ManualClock(T0);
    AnomalyEngine globexAlone = engine(globexClock, config());
    Scenario.of(globex).thenQuietFor(quiet).play(globexAlone, globexClock);

    assertThat(countOf(mixedEngine, "acme")).as("acme's half, with globex's beside it")
        .isEqualTo(countOf(acmeAlone, "acme"));
    assertThat(countOf(mixedEngine, "globex")).as("globex's half, with acme's beside it")
        .isEqualTo(countOf(globexAlone, "globex"));
  }

  /** @return the trailing quiet time of a scenario, for scenarios mixed by the kit */
  protected Duration quietOf(Scenario scenario) {
    return Duration.ofMinutes(30);
  }

  @Test
  void keepsItsStateWithinBudget() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, configForBoundedState());
    manyKeys("acme", T0).play(engine, clock);
    Map<String, Long> stats = engine.health().detectors().get(provider().name());
    assertThat(trackedKeys(stats)).isLessThanOrEqualTo(keyBudget());
  }

  /**
   * Tells whether the incident's condition ends by itself once its events are old enough (true
   * for window rules; false for a condition such as silence, which lasts until traffic returns).
   *
   * @return whether two quiet hours after the incident clear it
   */
  protected boolean conditionEndsWithTime() {
    return true;
  }

  @Test
  void verificationReEvaluatesAgainstLiveState() {
    ManualClock clock = new ManualClock(T0);
    AnomalyEngine engine = engine(clock, config());
    // stop the incident the moment its anomaly opens: the condition holds right then, so a
    // verification must find it still holding (a re-evaluation that always answers "cleared"
    // fails here)
    incident("acme", T0).playUntil(engine, clock, () -> all(engine, "acme").stream()
        .anyMatch(x -> x.type().equals(expectedType())));
    Anomaly a = all(engine, "acme").stream().filter(x -> x.type().equals(expectedType()))
        .filter(x -> x.status() == AnomalyStatus.OPEN).findFirst()
        .orElseThrow(() -> new AssertionError("the incident must leave an OPEN "
            + expectedType() + " anomaly to verify"));
    engine.anomalies().verify("acme", a.id());
    Anomaly verified = engine.anomalies().get("acme", a.id());
    assertThat(verified.history()).anySatisfy(h -> assertThat(h.to())
        .isEqualTo(AnomalyStatus.VERIFYING));
    assertThat(verified.status()).as("verified the moment it opened, while the condition holds:"
        + " %s", verified.history().get(verified.history().size() - 1).note())
        .isEqualTo(AnomalyStatus.OPEN);
    // play the rest of the incident and its quiet time
    incident("acme", T0).events().stream()
        .filter(e -> e.epochMillis() > clock.millis()).findAny()
        .ifPresent(e -> Scenario.of(incident("acme", T0).events().stream()
            .filter(x -> x.epochMillis() > clock.millis()).toList())
            .thenQuietFor(quietOf(incident("acme", T0))).play(engine, clock));
    verified = engine.anomalies().get("acme", a.id());
    // long after the incident the condition no longer holds: verification resolves it
    if (verified.status() == AnomalyStatus.OPEN && conditionEndsWithTime()) {
      clock.advance(Duration.ofHours(2));
      engine.tick();
      Anomaly now = engine.anomalies().get("acme", a.id());
      if (now.status() == AnomalyStatus.OPEN) {
        engine.anomalies().verify("acme", a.id());
      }
      assertThat(engine.anomalies().get("acme", a.id()).status())
          .isEqualTo(AnomalyStatus.RESOLVED);
    }
  }
}
