package io.batanomaly.testkit;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.Severity;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageService;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * An engine for triage tests: a {@link ManualClock}, no own scheduler, one
 * {@link ScriptedDetector}, and a verification executor of the test's choice (by default one
 * that runs jobs on the calling thread, so {@code verify} has finished when it returns).
 *
 * <pre>{@code
 * try (TriageFixture f = TriageFixture.builder().build()) {
 *   Anomaly a = f.open("acme", "billing");
 *   f.triage().updateStatus("acme", a.id(), new StatusUpdateRequest(RESOLVED, null), null);
 * }
 * }</pre>
 */
public final class TriageFixture implements AutoCloseable {

  /** Where the clock starts. */
  public static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final ManualClock clock;
  private final ScriptedDetector detector;
  private final AnomalyEngine engine;

  private TriageFixture(Builder b) {
    this.clock = b.clock != null ? b.clock : new ManualClock(T0);
    this.detector = b.detector;
    AnomalyEngine.Builder eb = AnomalyEngine.builder()
        .config(b.config)
        .clock(clock)
        .discoverDetectors(false)
        .detector(detector.provider())
        .autoTick(false)
        .verificationExecutor(b.executor);
    if (b.repository != null) {
      eb.repository(b.repository);
    }
    if (b.idGenerator != null) {
      eb.idGenerator(b.idGenerator);
    }
    if (b.store != null) {
      eb.store(b.store);
    }
    this.engine = eb.build();
  }

  /** @return a builder with the default configuration */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the clock */
  public ManualClock clock() {
    return clock;
  }

  /** @return the detector */
  public ScriptedDetector detector() {
    return detector;
  }

  /** @return the engine */
  public AnomalyEngine engine() {
    return engine;
  }

  /** @return the engine's triage service */
  public TriageService triage() {
    return engine.anomalies();
  }

  /**
   * Reports a finding through the detector and one engine tick.
   *
   * @param finding the finding
   */
  public void report(Finding finding) {
    detector.fire(finding);
    engine.tick();
  }

  /**
   * Opens (or updates) the anomaly of {@link ScriptedDetector#TYPE} for a subject.
   *
   * @param tenant the tenant
   * @param subject the subject
   * @return the active anomaly
   * @throws AssertionError if the finding opened nothing (such as during a cooldown)
   */
  public Anomaly open(String tenant, String subject) {
    return open(tenant, subject, Severity.MEDIUM);
  }

  /**
   * Opens (or updates) the anomaly of {@link ScriptedDetector#TYPE} for a subject.
   *
   * @param tenant the tenant
   * @param subject the subject
   * @param severity the finding's severity
   * @return the active anomaly
   * @throws AssertionError if the finding opened nothing (such as during a cooldown)
   */
  public Anomaly open(String tenant, String subject, Severity severity) {
    report(ScriptedDetector.finding(tenant, subject).severity(severity).build());
    return active(tenant, subject);
  }

  /**
   * Returns the active anomaly of {@link ScriptedDetector#TYPE} for a subject.
   *
   * @param tenant the tenant
   * @param subject the subject
   * @return the anomaly
   * @throws AssertionError if there is none
   */
  public Anomaly active(String tenant, String subject) {
    return all(tenant).stream()
        .filter(a -> a.subject().equals(subject) && a.status().isActive())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no active anomaly for " + tenant + "/" + subject));
  }

  /**
   * Returns every anomaly of a tenant, newest first, in full.
   *
   * @param tenant the tenant
   * @return the anomalies
   */
  public List<Anomaly> all(String tenant) {
    List<AnomalySummary> items = triage()
        .list(tenant, new AnomalyQuery(null, AnomalyQuery.MAX_DAYS, 0, AnomalyQuery.MAX_SIZE))
        .content();
    return items.stream().map(s -> triage().get(tenant, s.id())).toList();
  }

  /**
   * Drives an anomaly to a status through the service: PATCH for OPEN, RESOLVED and DISMISSED,
   * the verify action (with jobs left waiting) for VERIFYING.
   *
   * @param tenant the tenant
   * @param subject a subject with no active anomaly yet
   * @param status the status wanted
   * @param jobs the fixture's executor, which must not run jobs by itself, for VERIFYING
   * @return the anomaly in that status
   */
  public Anomaly inStatus(String tenant, String subject, AnomalyStatus status,
      ManualExecutor jobs) {
    Anomaly a = open(tenant, subject);
    switch (status) {
      case OPEN:
        return a;
      case VERIFYING:
        Objects.requireNonNull(jobs, "VERIFYING needs a ManualExecutor");
        triage().verify(tenant, a.id());
        return triage().get(tenant, a.id());
      default:
        return triage().updateStatus(tenant, a.id(), new StatusUpdateRequest(status, null),
            null);
    }
  }

  @Override
  public void close() {
    engine.close();
  }

  /** Builds a {@link TriageFixture}. */
  public static final class Builder {
    private AnomalyConfig config = AnomalyConfig.defaults();
    private Executor executor = Runnable::run;
    private ScriptedDetector detector = ScriptedDetector.create();
    private AnomalyRepository repository;
    private io.batanomaly.spi.AnomalyIdGenerator idGenerator;
    private io.batanomaly.spi.AnomalyStore store;
    private ManualClock clock;

    private Builder() {}

    /**
     * @param idGenerator how anomalies get their ids (such as the same id in every tenant,
     *     which ids allow: they are unique per tenant only)
     * @return this builder
     */
    public Builder idGenerator(io.batanomaly.spi.AnomalyIdGenerator idGenerator) {
      this.idGenerator = idGenerator;
      return this;
    }

    /** @param store the whole store (repository, idempotency, suppressions); @return this */
    public Builder store(io.batanomaly.spi.AnomalyStore store) {
      this.store = store;
      return this;
    }

    /** @param clock the clock to share, such as with an engine built earlier; @return this */
    public Builder clock(ManualClock clock) {
      this.clock = clock;
      return this;
    }

    /** @param config the configuration; @return this builder */
    public Builder config(AnomalyConfig config) {
      this.config = config;
      return this;
    }

    /** @param executor the verification executor; @return this builder */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /** @param detector the detector; @return this builder */
    public Builder detector(ScriptedDetector detector) {
      this.detector = detector;
      return this;
    }

    /** @param repository the repository; @return this builder */
    public Builder repository(AnomalyRepository repository) {
      this.repository = repository;
      return this;
    }

    /** @return the fixture */
    public TriageFixture build() {
      return new TriageFixture(this);
    }
  }
}
