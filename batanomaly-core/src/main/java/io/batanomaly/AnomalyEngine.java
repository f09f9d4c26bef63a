package io.batanomaly;

import io.batanomaly.api.TriageService;
import io.batanomaly.internal.AnomalyLifecycle;
import io.batanomaly.internal.DefaultTriageService;
import io.batanomaly.internal.DetectorRegistry;
import io.batanomaly.internal.EngineCounters;
import io.batanomaly.internal.EventValidator;
import io.batanomaly.internal.IdempotencyKeys;
import io.batanomaly.internal.InMemoryIdempotencyStore;
import io.batanomaly.internal.InMemorySuppressionStore;
import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.internal.IngestPipeline;
import io.batanomaly.internal.NotificationDispatcher;
import io.batanomaly.internal.NotifierRegistry;
import io.batanomaly.internal.ScopeRegistry;
import io.batanomaly.internal.Verifier;
import io.batanomaly.spi.AnomalyIdGenerator;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.AnomalyStoreProvider;
import io.batanomaly.spi.IdempotencyStore;
import io.batanomaly.spi.SuppressionStore;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.NotifierProvider;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds anomalies in a stream of audit events and keeps their triage lifecycle.
 *
 * <pre>{@code
 * AnomalyEngine engine = AnomalyEngine.builder()
 *     .config(AnomalyConfig.fromEnvironment())
 *     .listener(n -> log.warn("{}", n.anomaly().summary()))
 *     .build();                                   // detectors found with ServiceLoader
 * IngestResult r = engine.ingest(batch);          // from any number of threads
 * engine.anomalies().list("acme-corp", AnomalyQuery.defaults());
 * engine.close();
 * }</pre>
 *
 * <p><b>Concurrency.</b> {@link #ingest} may be called from any number of threads at once; it
 * takes no lock per event. {@link #tick} may be called from any thread; a tick that finds
 * another tick running returns at once. {@link #anomalies()} is thread-safe.
 *
 * <p><b>Time.</b> Windows run on event time: each tenant has a watermark, its newest event
 * time but never past the engine clock, and an event more than
 * {@code ANOMALY_ALLOWED_LATENESS} behind it is rejected as late.
 * Everything the engine does on its own (detection and cooldown times, silence, verification
 * timeouts, idempotency expiry) runs on the injected clock.
 */
public final class AnomalyEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyEngine.class);

  private final AnomalyConfig config;
  private final InstantSource clock;
  private final List<String> detectorNames;
  private final List<Detector> detectors;
  private final ScopeRegistry scopes;
  private final IngestPipeline pipeline;
  private final AnomalyLifecycle lifecycle;
  private final NotificationDispatcher dispatcher;
  private final List<AnomalyListener> notifiers;
  private final Verifier verifier;
  private final IdempotencyKeys idempotency;
  private final AnomalyStore ownedStore;
  private final String storeDescription;
  private final DefaultTriageService triage;
  private final EngineCounters counters;
  private final ExecutorService ownedVerificationExecutor;
  private final ScheduledExecutorService scheduler;
  private final ReentrantLock tickLock = new ReentrantLock();
  private final FindingSink tickSink;
  private volatile boolean closed;

  private AnomalyEngine(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    List<String> errors = new ArrayList<>(config.validate(AnomalySettings.all()));
    NotifierRegistry notifierRegistry = NotifierRegistry.resolve(b.notifierProviders,
        b.discoverNotifiers, b.classLoader);
    errors.addAll(notifierRegistry.validate(config));
    DetectorRegistry registry = DetectorRegistry.resolve(b.providers, b.useServiceLoader,
        b.classLoader);
    // a setting several detectors share (such as a per-tenant budget) is checked once
    Map<String, io.batanomaly.Setting<?>> detectorSettings = new LinkedHashMap<>();
    for (DetectorProvider p : registry.providers()) {
      for (io.batanomaly.Setting<?> setting : p.settings()) {
        detectorSettings.putIfAbsent(setting.key(), setting);
      }
    }
    errors.addAll(config.validate(detectorSettings.values()));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid batanomaly configuration:\n  - " + String.join("\n  - ", errors));
    }
    this.counters = new EngineCounters();
    this.scopes = new ScopeRegistry(config.get(AnomalySettings.MAX_TENANTS),
        config.get(AnomalySettings.MAX_SERVICES_PER_TENANT));
    AnomalyStore discovered = null;
    if (b.repository == null && b.idempotencyStore == null && b.suppressionStore == null
        && b.useStoreDiscovery) {
      discovered = discoverStore(config, clock, b.classLoader);
      String url = config.raw("ANOMALY_JDBC_URL");
      if (discovered == null && url != null && !url.isBlank()) {
        // a host that asked for a durable store must not silently lose triage on restart
        throw new IllegalStateException("ANOMALY_JDBC_URL is set, but no anomaly store provider"
            + " on the class path takes it: add io.batanomaly:batanomaly-jdbc");
      }
    }
    this.ownedStore = discovered;
    AnomalyRepository repository;
    IdempotencyStore idempotencyStore;
    SuppressionStore suppressionStore;
    if (discovered != null) {
      repository = discovered.repository();
      idempotencyStore = discovered.idempotency();
      suppressionStore = discovered.suppressions();
      this.storeDescription = discovered.describe();
    } else {
      repository = b.repository != null ? b.repository
          : new InMemoryAnomalyRepository(config.get(AnomalySettings.MAX_ANOMALIES_PER_TENANT),
              config.get(AnomalySettings.RETENTION));
      idempotencyStore = b.idempotencyStore != null ? b.idempotencyStore
          : new InMemoryIdempotencyStore(config.get(AnomalySettings.IDEMPOTENCY_MAX_KEYS));
      suppressionStore = b.suppressionStore != null ? b.suppressionStore
          : new InMemorySuppressionStore();
      this.storeDescription = b.storeDescription != null ? b.storeDescription
          : b.repository == null ? "in memory" : repository.getClass().getSimpleName();
    }
    // notifiers may keep their targets and outboxes in the same store (batanomaly-jdbc)
    List<AnomalyListener> listeners = new ArrayList<>(b.listeners);
    this.notifiers = notifierRegistry.create(config, clock,
        discovered != null ? discovered : b.hostStore);
    listeners.addAll(notifiers);
    this.dispatcher = new NotificationDispatcher(listeners,
        config.get(AnomalySettings.LISTENER_QUEUE_CAPACITY));
    this.lifecycle = new AnomalyLifecycle(repository, suppressionStore,
        config.get(AnomalySettings.STORE_BUFFER), clock,
        config.get(AnomalySettings.COOLDOWN).toMillis(),
        config.get(AnomalySettings.DISMISSED_SUPPRESSION).toMillis(), dispatcher,
        b.idGenerator);
    long lateness = config.get(AnomalySettings.ALLOWED_LATENESS).toMillis();
    Map<String, Detector> created = registry.create(config, clock, lateness, scopes);
    scopes.seal();
    this.detectorNames = List.copyOf(created.keySet());
    this.detectors = List.copyOf(created.values());
    Map<String, Detector> byType = new LinkedHashMap<>();
    created.forEach((name, d) -> {
      for (String type : d.types()) {
        Detector other = byType.putIfAbsent(type, d);
        if (other != null) {
          throw new IllegalStateException("Anomaly type " + type + " is reported by two"
              + " detectors: " + other.getClass().getName() + " and " + d.getClass().getName());
        }
      }
    });
    this.pipeline = new IngestPipeline(scopes, detectors,
        new EventValidator(config.get(AnomalySettings.MAX_FIELD_LENGTH),
            config.get(AnomalySettings.MAX_FUTURE_SKEW).toMillis(),
            config.get(AnomalySettings.MAX_EVENT_AGE).toMillis()),
        lifecycle, counters, clock, lateness);
    Executor executor = b.verificationExecutor;
    if (executor == null) {
      ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(1_000), daemon("batanomaly-verifier"));
      pool.allowCoreThreadTimeOut(true);
      this.ownedVerificationExecutor = pool;
      executor = pool;
    } else {
      this.ownedVerificationExecutor = null;
    }
    this.verifier = new Verifier(lifecycle, byType, executor, clock,
        config.get(AnomalySettings.VERIFY_TIMEOUT).toMillis());
    this.idempotency = new IdempotencyKeys(idempotencyStore, clock,
        config.get(AnomalySettings.IDEMPOTENCY_TTL).toMillis(),
        config.get(AnomalySettings.IDEMPOTENCY_LEASE).toMillis());
    this.triage = new DefaultTriageService(lifecycle, verifier, idempotency, clock,
        byType.keySet());
    this.tickSink = lifecycle.sink();
    Duration interval = config.get(AnomalySettings.TICK_INTERVAL);
    if (b.autoTick && !interval.isZero()) {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("batanomaly-tick"));
      s.scheduleWithFixedDelay(this::scheduledTick, interval.toMillis(), interval.toMillis(),
          TimeUnit.MILLISECONDS);
      this.scheduler = s;
    } else {
      this.scheduler = null;
    }
    LOG.info("batanomaly engine started with detectors {}, anomaly store: {}", detectorNames,
        storeDescription);
  }

  /**
   * Asks every {@link AnomalyStoreProvider} on the class path for a store; at most one may
   * answer. Their settings are validated first, all at once.
   */
  private static AnomalyStore discoverStore(AnomalyConfig config, InstantSource clock,
      ClassLoader classLoader) {
    ClassLoader loader = classLoader != null ? classLoader
        : Thread.currentThread().getContextClassLoader();
    List<AnomalyStoreProvider> providers = new ArrayList<>();
    for (AnomalyStoreProvider p : java.util.ServiceLoader.load(AnomalyStoreProvider.class,
        loader)) {
      providers.add(p);
    }
    List<String> errors = new ArrayList<>();
    for (AnomalyStoreProvider p : providers) {
      errors.addAll(config.validate(p.settings()));
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid batanomaly configuration:\n  - " + String.join("\n  - ", errors));
    }
    AnomalyStore chosen = null;
    AnomalyStoreProvider chosenBy = null;
    for (AnomalyStoreProvider p : providers) {
      Optional<AnomalyStore> store = p.create(config, clock);
      if (store.isPresent()) {
        if (chosen != null) {
          store.get().close();
          chosen.close();
          throw new IllegalStateException("Two anomaly stores are configured: "
              + chosenBy.getClass().getName() + " and " + p.getClass().getName()
              + "; configure one");
        }
        chosen = store.get();
        chosenBy = p;
      }
    }
    return chosen;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts building an engine.
   *
   * @return a builder with the default configuration and the system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Ingests a batch of events. Each event is validated; a bad one is rejected with its index and
   * a reason while the rest of the batch is processed. Accepted events are observed by every
   * detector, and the findings become anomalies.
   *
   * <p>Thread-safe; takes no lock per event.
   *
   * @param batch the events, in any order; {@code null} elements are rejected
   * @return what the batch did
   * @throws NullPointerException if {@code batch} is null
   * @throws IllegalStateException if the engine is closed
   */
  public IngestResult ingest(Collection<AuditEvent> batch) {
    Objects.requireNonNull(batch, "batch must not be null: pass an empty collection instead");
    ensureOpen();
    return pipeline.ingest(batch);
  }

  /**
   * Ingests a columnar batch a host filled field by field: the same validation, rejections,
   * detection and anomalies as {@link #ingest(Collection)} for the same events as
   * {@link AuditEvent}s, without an object per event. {@link IngestResult#rejected()} gives
   * each rejected event's index in the batch. The engine reads the batch only during this
   * call and keeps no reference to it: the host may {@link EventBatch#clear() clear} and
   * refill it as soon as the call returns.
   *
   * <p>Thread-safe as {@link #ingest(Collection)} is, with one batch per calling thread (an
   * {@code EventBatch} itself is not thread-safe). Allocates nothing per event in steady state
   * with the built-in detectors; a third-party detector that implements only
   * {@link io.batanomaly.spi.Detector#observe(AuditEvent, io.batanomaly.spi.ServiceScope,
   * io.batanomaly.spi.FindingSink) the per-event method} is given an {@code AuditEvent} built
   * from each row.
   *
   * @param batch the events
   * @return what the batch did
   * @throws NullPointerException if {@code batch} is null
   * @throws IllegalStateException if the engine is closed
   */
  public IngestResult ingest(EventBatch batch) {
    Objects.requireNonNull(batch, "batch must not be null: pass an empty EventBatch instead");
    ensureOpen();
    return pipeline.ingest(batch.rows());
  }

  /**
   * Runs the time-driven checks on the engine clock: silence, verification timeouts, cooldown,
   * idempotency and retention expiry. The engine's own scheduler calls this every
   * {@code ANOMALY_TICK_INTERVAL}; hosts that switch it off call it themselves. If another tick
   * is running, returns at once.
   *
   * @throws IllegalStateException if the engine is closed
   */
  public void tick() {
    ensureOpen();
    if (!tickLock.tryLock()) {
      return;
    }
    try {
      long now = clock.millis();
      pipeline.tick(now, tickSink);
      lifecycle.retryBuffered();
      lifecycle.flushPending();
      verifier.expire(now);
      // expiry on the store must not stop the tick: a store that is down is retried next time
      storeStep("cooldown expiry", () -> lifecycle.expire(now));
      storeStep("Idempotency-Key expiry", () -> idempotency.expire(now));
      storeStep("retention", () -> lifecycle.repository().expire(clock.instant()));
    } finally {
      tickLock.unlock();
    }
  }

  private static void storeStep(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.warn("The anomaly store failed during {}; retried on the next tick", what, e);
    }
  }

  private void scheduledTick() {
    // anything escaping here would cancel the schedule for good (silence checks, verification
    // timeouts and expiry would stop without a word): log it and tick again next time
    try {
      if (!closed) {
        tick();
      }
    } catch (RuntimeException | Error e) {
      LOG.warn("Scheduled tick failed; the next one runs as scheduled", e);
    }
  }

  /**
   * Declares the current version of a policy function, for the detectors that judge versions
   * (such as {@code ZOMBIE_VERSION}). From now on, every other version of that module and
   * function that received evaluations before this call is superseded: if it keeps receiving
   * evaluations after the grace period, it is a zombie. A version first seen after this call is
   * a new draft and is never superseded by it. Declaring another version later supersedes this
   * one in turn. Without any declaration the detectors infer the current version from traffic
   * (see the README, "Policy-version detectors").
   *
   * <p>Thread-safe. The declaration is taken at the engine clock's current time and handed to
   * the detectors, which place it on the tenant's event time (the built-in zombie detector
   * uses the tenant's newest event time moved on by the engine-clock time since it was last
   * heard).
   *
   * @param tenant the tenant
   * @param policyModule the policy module
   * @param policyFunction the policy function
   * @param versionId the version that is now current
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is blank or longer than
   *     {@code ANOMALY_MAX_FIELD_LENGTH}; the message names the argument and the value given
   * @throws IllegalStateException if the engine is closed, or if the tenant is new and the
   *     engine already tracks {@code ANOMALY_MAX_TENANTS} active tenants
   */
  public void activateVersion(
      String tenant, String policyModule, String policyFunction, String versionId) {
    int maxLength = config.get(AnomalySettings.MAX_FIELD_LENGTH);
    requireField("tenant", tenant, maxLength);
    requireField("policyModule", policyModule, maxLength);
    requireField("policyFunction", policyFunction, maxLength);
    requireField("versionId", versionId, maxLength);
    ensureOpen();
    long now = clock.millis();
    io.batanomaly.spi.TenantScope scope = scopes.tenantScope(tenant, now);
    if (scope == null) {
      throw new IllegalStateException("the engine already tracks the maximum number of tenants"
          + " (ANOMALY_MAX_TENANTS); tenant '" + tenant + "' is not tracked");
    }
    for (int i = 0; i < detectors.size(); i++) {
      try {
        detectors.get(i).onVersionActivated(scope, policyModule, policyFunction, versionId, now);
      } catch (RuntimeException | Error failure) {
        counters.detectorFailed();
        LOG.warn("Detector {} failed to take the activation of {}/{}@{}; other detectors took it",
            detectorNames.get(i), policyModule, policyFunction, versionId, failure);
      }
    }
  }

  private static void requireField(String name, String value, int maxLength) {
    Objects.requireNonNull(value, () -> name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, but was '" + value + "'");
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(name + " must be at most " + maxLength
          + " characters (ANOMALY_MAX_FIELD_LENGTH), but had " + value.length());
    }
  }

  /**
   * Returns the triage service: list, inspect, verify and update the status of anomalies.
   *
   * @return the triage service
   */
  public TriageService anomalies() {
    return triage;
  }

  /**
   * Takes a health snapshot.
   *
   * @return the snapshot
   */
  public EngineHealth health() {
    Map<String, Map<String, Long>> perDetector = new LinkedHashMap<>();
    for (int i = 0; i < detectors.size(); i++) {
      perDetector.put(detectorNames.get(i), Map.copyOf(detectors.get(i).stats()));
    }
    return new EngineHealth(clock.instant(), counters.accepted(), counters.rejectedByReason(),
        counters.batches(), scopes.tenantCount(), scopes.serviceCount(),
        scopes.tenantsEvicted() + scopes.servicesEvicted(), lifecycle.opened(),
        lifecycle.updated(), lifecycle.suppressed(), lifecycle.activeCount(),
        verifier.pending(), verifier.failed(), dispatcher.queueDepth(), dispatcher.dropped(),
        dispatcher.failures(), counters.detectorErrors(), idempotency.size(),
        idempotency.dropped(), perDetector, lifecycle.storeAvailable(),
        lifecycle.findingsBuffered(), lifecycle.findingsOverflowed());
  }

  /** @return the names of the running detectors, in the order they see events */
  public List<String> detectorNames() {
    return detectorNames;
  }

  /**
   * Returns a running detector by name, for hosts that talk to a detector directly (such as
   * declaring the active version of a policy).
   *
   * @param name the detector name
   * @return the detector, or {@code null} if none of that name runs
   */
  public Detector detector(String name) {
    int i = detectorNames.indexOf(name);
    return i < 0 ? null : detectors.get(i);
  }

  /**
   * Returns the first notifier of a type that the engine created through a
   * {@link NotifierProvider} because its configuration asks for it (such as the webhook
   * notifier when {@code ANOMALY_WEBHOOK_URLS} is set), to read its dead letters and counters.
   * A listener the host added with {@link Builder#listener} is not returned here.
   *
   * @param type the notifier's class, or an interface it implements
   * @param <T> the type
   * @return the notifier, or empty when the engine created none of that type
   */
  public <T> Optional<T> notifier(Class<T> type) {
    Objects.requireNonNull(type, "type");
    return notifiers.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * Returns the notifiers the engine created through {@link NotifierProvider}s.
   *
   * @return the notifiers, in provider order; empty when the configuration asks for none
   */
  public List<AnomalyListener> notifiers() {
    return notifiers;
  }

  /** @return the configuration the engine runs with */
  public AnomalyConfig config() {
    return config;
  }

  /** @return the engine clock */
  public InstantSource clock() {
    return clock;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the engine is closed");
    }
  }

  /**
   * Stops the scheduler, writes the finding updates a batching store still holds in memory
   * ({@link AnomalyRepository#batchesFindingUpdates}), returns every anomaly still being
   * verified to OPEN ("verification
   * abandoned: the engine was closed"), stops the verification pool (if the engine owns it) and
   * the notification threads, after handing what is queued to the listeners (waiting at most
   * one second), then the notifiers the engine created (each as its own {@code close} says).
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    try {
      lifecycle.flushPending();
    } catch (RuntimeException e) {
      LOG.warn("Could not write the last finding updates to the anomaly store", e);
    }
    verifier.abandonAll("verification abandoned: the engine was closed");
    if (ownedVerificationExecutor != null) {
      ownedVerificationExecutor.shutdownNow();
    }
    dispatcher.close();
    NotifierRegistry.close(notifiers);
    if (ownedStore != null) {
      try {
        ownedStore.close();
      } catch (Exception e) {
        LOG.warn("Closing the anomaly store {} failed", storeDescription, e);
      }
    }
  }

  /**
   * Describes the anomaly store the engine runs on, for logs: {@code "in memory"}, or what the
   * store says of itself (a JDBC URL without credentials).
   *
   * @return the description
   */
  public String storeDescription() {
    return storeDescription;
  }

  /** Builds an {@link AnomalyEngine}. Not thread-safe. */
  public static final class Builder {
    private AnomalyConfig config = AnomalyConfig.defaults();
    private InstantSource clock = InstantSource.system();
    private final List<AnomalyListener> listeners = new ArrayList<>();
    private final List<DetectorProvider> providers = new ArrayList<>();
    private final List<NotifierProvider> notifierProviders = new ArrayList<>();
    private boolean discoverNotifiers = true;
    private AnomalyStore hostStore;
    private AnomalyRepository repository;
    private IdempotencyStore idempotencyStore;
    private SuppressionStore suppressionStore;
    private String storeDescription;
    private boolean useStoreDiscovery = true;
    private Executor verificationExecutor;
    private AnomalyIdGenerator idGenerator = AnomalyIdGenerator.random();
    private boolean useServiceLoader = true;
    private boolean autoTick = true;
    private ClassLoader classLoader;

    private Builder() {}

    /**
     * Sets the configuration (default: {@link AnomalyConfig#defaults()}).
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(AnomalyConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the clock for everything the engine does on its own (default: the system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a listener. Each listener gets its own queue and thread. The notifiers that
     * {@link NotifierProvider}s create from the configuration (webhooks when
     * {@code ANOMALY_WEBHOOK_URLS} is set, with {@code batanomaly-notify} on the class path) come
     * after the host's listeners.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(AnomalyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Registers a detector provider explicitly, in addition to those {@link java.util.ServiceLoader}
     * finds.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder detector(DetectorProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Chooses whether providers are discovered with {@link java.util.ServiceLoader} (default:
     * yes). With discovery off, only providers registered with {@link #detector} run.
     *
     * @param enabled whether to discover
     * @return this builder
     */
    public Builder discoverDetectors(boolean enabled) {
      this.useServiceLoader = enabled;
      return this;
    }

    /**
     * Registers a notifier provider explicitly, before those {@link java.util.ServiceLoader}
     * finds; a discovered provider of the same class is then skipped, so a provider the host
     * configured itself takes the place of the default.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder notifier(NotifierProvider provider) {
      notifierProviders.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Chooses whether notifier providers are discovered with {@link java.util.ServiceLoader}
     * (default: yes). With discovery off, only providers registered with {@link #notifier} run.
     *
     * @param enabled whether to discover
     * @return this builder
     */
    public Builder discoverNotifiers(boolean enabled) {
      this.discoverNotifiers = enabled;
      return this;
    }

    /**
     * Sets the class loader for discovery (default: the thread's context class loader).
     *
     * @param classLoader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
      return this;
    }

    /**
     * Sets the repository (default: in memory, bounded per tenant, unless a discovered
     * {@link AnomalyStoreProvider} is configured). Setting it switches store discovery off; the
     * Idempotency-Key outcomes and suppressions stay in memory unless set too.
     *
     * @param repository the repository
     * @return this builder
     */
    public Builder repository(AnomalyRepository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
      return this;
    }

    /**
     * Sets where Idempotency-Key claims and outcomes are kept (default: in memory, at most
     * {@code ANOMALY_IDEMPOTENCY_MAX_KEYS}). Setting it switches store discovery off.
     *
     * @param store the store
     * @return this builder
     */
    public Builder idempotencyStore(IdempotencyStore store) {
      this.idempotencyStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets where cooldown and dismissal suppressions are kept (default: in memory). Setting it
     * switches store discovery off.
     *
     * @param store the store
     * @return this builder
     */
    public Builder suppressionStore(SuppressionStore store) {
      this.suppressionStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Runs the engine on a complete store: its repository, idempotency store and suppression
     * store. The host keeps ownership: closing the engine does not close the store.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(AnomalyStore store) {
      Objects.requireNonNull(store, "store");
      this.repository = Objects.requireNonNull(store.repository(), "store.repository()");
      this.idempotencyStore = Objects.requireNonNull(store.idempotency(), "store.idempotency()");
      this.suppressionStore =
          Objects.requireNonNull(store.suppressions(), "store.suppressions()");
      this.storeDescription = store.describe();
      this.hostStore = store;
      return this;
    }

    /**
     * Chooses whether, when no store is set on this builder, the engine asks the
     * {@link AnomalyStoreProvider}s on the class path for one (default: yes). Each provider
     * answers only when its settings are given, such as {@code ANOMALY_JDBC_URL}.
     *
     * @param enabled whether to discover
     * @return this builder
     */
    public Builder discoverStore(boolean enabled) {
      this.useStoreDiscovery = enabled;
      return this;
    }

    /**
     * Sets how new anomalies get their ids (default: {@link AnomalyIdGenerator#random()}).
     *
     * @param idGenerator the generator
     * @return this builder
     */
    public Builder idGenerator(AnomalyIdGenerator idGenerator) {
      this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
      return this;
    }

    /**
     * Sets the executor verification jobs run on (default: two daemon threads owned by the
     * engine).
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder verificationExecutor(Executor executor) {
      this.verificationExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Chooses whether the engine ticks itself every {@code ANOMALY_TICK_INTERVAL} (default:
     * yes). Tests with a manual clock switch it off and call {@link AnomalyEngine#tick()}.
     *
     * @param enabled whether to run the engine's own scheduler
     * @return this builder
     */
    public Builder autoTick(boolean enabled) {
      this.autoTick = enabled;
      return this;
    }

    /**
     * Builds and starts the engine.
     *
     * @return the engine
     * @throws IllegalArgumentException if a setting is invalid (the engine's, its detectors' or
     *     its notifier providers'); the message lists every invalid setting with the value given
     * @throws IllegalStateException if two providers share a name or two detectors report the
     *     same type, or two store providers are configured; the message names both classes.
     *     Also if a discovered store cannot be opened
     */
    public AnomalyEngine build() {
      return new AnomalyEngine(this);
    }
  }
}
