package io.batanomaly.kafka;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.TriageService;
import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.kafka.internal.EngineProcessor;
import io.batanomaly.kafka.internal.TopologyCounters;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.DetectorProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The detectors of an {@link AnomalyEngine} as a Kafka Streams topology, keyed so that the
 * work of one tenant spreads over several instances.
 *
 * <pre>{@code
 * AnomalyTopology anomalies = AnomalyTopology.builder()
 *     .sourceTopic("audit-events")              // JSON, see AuditEventSerde
 *     .notificationTopic("anomaly-notifications")
 *     .config(AnomalyConfig.fromEnvironment())
 *     .store(sharedStore)                       // the store every instance triages from
 *     .build();
 * KafkaStreams streams = new KafkaStreams(anomalies.topology(), props);
 * streams.start();
 * anomalies.anomalies().list("acme-corp", AnomalyQuery.defaults());
 * }</pre>
 *
 * <p><b>Shape.</b> The source stream is split by {@link Keying}: for each keying that has at
 * least one enabled detector, the events it needs are re-keyed, repartitioned through an
 * internal topic, and processed by one engine per task that runs only that keying's detectors.
 * The built-in detectors have their keying ({@link #builtInKeying}); a detector found with
 * {@link ServiceLoader} or registered with {@link Builder#detector(DetectorProvider)} runs in the
 * {@link Keying#TENANT} sub-topology unless it declares another. Every engine writes its
 * anomalies to the one repository, and every new, escalated or changed anomaly becomes a JSON
 * record on the notification topic (see {@link #notificationJson}), keyed by tenant.
 *
 * <p><b>State.</b> Each task keeps the events of its keys for {@link Builder#stateRetention} in
 * a changelogged window store. When a task starts, on this instance or another after a
 * failover, its engine is fresh and replays those events before the first new one, so its
 * windows hold what the previous owner's held.
 *
 * <p><b>Time.</b> See {@link TimeMode}: live traffic runs on the wall clock with wall-clock
 * punctuators, so a silent service is reported with no event arriving; replays run on event
 * time with stream-time punctuators.
 *
 * <p><b>Policy versions.</b> A host declares the current version of a policy function by
 * producing {@link #versionActivation} to the source topic; the event reaches the engine that
 * owns the function, in order with its evaluations, where it does what
 * {@link AnomalyEngine#activateVersion} does.
 *
 * <p>Thread-safe once built. {@link #close()} closes the triage engine; each task's engine is
 * closed with its task.
 */
public final class AnomalyTopology implements AutoCloseable {

  /** The event type of a {@link #versionActivation} on the source topic. */
  public static final String VERSION_ACTIVATION_EVENT_TYPE = "policy.version.activated";

  private static final Map<String, Keying> BUILT_IN = Map.of(
      "volume_spike", Keying.SERVICE,
      "error_rate", Keying.SERVICE,
      "mass_delete", Keying.SERVICE,
      "silent_service", Keying.SERVICE,
      "brute_force", Keying.IDENTIFIER,
      "high_failure_rate", Keying.POLICY,
      "zombie_version", Keying.POLICY,
      "performance_degradation", Keying.POLICY);

  private final String sourceTopic;
  private final String notificationTopic;
  private final String name;
  private final AnomalyConfig config;
  private final InstantSource clock;
  private final TimeMode timeMode;
  private final AnomalyRepository repository;
  private final AnomalyStore store;
  private final Map<Keying, List<DetectorProvider>> providers;
  private final Map<Keying, List<String>> detectorNames;
  private final Serde<AuditEvent> sourceSerde;
  private final Duration stateRetention;
  private final Integer partitions;
  private final AnomalyEngine triageEngine;
  private final TopologyCounters counters = new TopologyCounters();

  private AnomalyTopology(Builder b) {
    this.sourceTopic = requireTopic("sourceTopic", b.sourceTopic);
    this.notificationTopic = requireTopic("notificationTopic", b.notificationTopic);
    this.name = b.name;
    this.config = b.config;
    this.clock = b.clock;
    this.timeMode = b.timeMode;
    this.sourceSerde = b.eventSerde;
    this.stateRetention = b.stateRetention;
    this.partitions = b.partitions;
    if (config.get(AnomalySettings.TICK_INTERVAL).isZero()) {
      throw new IllegalArgumentException("ANOMALY_TICK_INTERVAL must be positive on Kafka Streams,"
          + " where the topology ticks the engines itself, but was 0");
    }
    this.store = b.store;
    this.repository = b.store != null ? b.store.repository() : b.repository != null ? b.repository
        : new InMemoryAnomalyRepository(config.get(AnomalySettings.MAX_ANOMALIES_PER_TENANT),
            config.get(AnomalySettings.RETENTION));
    List<DetectorProvider> all = new ArrayList<>(b.explicit);
    if (b.discover) {
      ClassLoader cl = b.classLoader != null ? b.classLoader
          : Thread.currentThread().getContextClassLoader();
      ServiceLoader.load(DetectorProvider.class, cl).forEach(all::add);
    }
    Map<String, DetectorProvider> byName = new LinkedHashMap<>();
    for (DetectorProvider p : all) {
      DetectorProvider other = byName.putIfAbsent(p.name(), p);
      if (other != null && other.getClass() != p.getClass()) {
        throw new IllegalStateException("Two detector providers are named '" + p.name() + "': "
            + other.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    Map<Keying, List<DetectorProvider>> groups = new EnumMap<>(Keying.class);
    for (DetectorProvider p : byName.values()) {
      Keying k = b.keyings.getOrDefault(p.name(), BUILT_IN.getOrDefault(p.name(), Keying.TENANT));
      groups.computeIfAbsent(k, x -> new ArrayList<>()).add(p);
    }
    // Build each group's engine once now: it validates the settings (all at once, with the
    // values given) and tells which detectors ANOMALY_DISABLED_DETECTORS leaves running.
    Map<Keying, List<DetectorProvider>> running = new EnumMap<>(Keying.class);
    Map<Keying, List<String>> names = new EnumMap<>(Keying.class);
    for (Map.Entry<Keying, List<DetectorProvider>> g : groups.entrySet()) {
      try (AnomalyEngine probe = engineBuilder(g.getValue(), InstantSource.system()).build()) {
        if (!probe.detectorNames().isEmpty()) {
          running.put(g.getKey(), List.copyOf(g.getValue()));
          names.put(g.getKey(), probe.detectorNames());
        }
      }
    }
    this.providers = Collections.unmodifiableMap(running);
    this.detectorNames = Collections.unmodifiableMap(names);
    this.triageEngine = shared(AnomalyEngine.builder().config(config).clock(clock)
        .discoverDetectors(false)).build();
  }

  private static String requireTopic(String what, String topic) {
    Objects.requireNonNull(topic, () -> what + " must be set");
    if (topic.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, but was '" + topic + "'");
    }
    return topic;
  }

  /**
   * Returns a builder for one task's engine: the keying's detectors only, the shared
   * repository, no scheduler of its own (the topology's punctuators tick it).
   *
   * @param group the detector providers of the keying
   * @param engineClock the task's clock
   * @return the builder, without listeners
   */
  AnomalyEngine.Builder engineBuilder(List<DetectorProvider> group, InstantSource engineClock) {
    AnomalyEngine.Builder e = shared(AnomalyEngine.builder().config(config).clock(engineClock)
        .discoverDetectors(false).autoTick(false));
    group.forEach(e::detector);
    return e;
  }

  /** Points an engine at the store every engine of the topology shares. */
  private AnomalyEngine.Builder shared(AnomalyEngine.Builder e) {
    e.discoverStore(false);
    return store != null ? e.store(store) : e.repository(repository);
  }

  /**
   * Starts building a topology.
   *
   * @return a builder with the default configuration, discovery on and {@link TimeMode#WALL_CLOCK}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the keying of a built-in detector.
   *
   * @param detectorName the detector's name, such as {@code brute_force}
   * @return its keying, or {@code null} if no built-in detector has that name
   */
  public static Keying builtInKeying(String detectorName) {
    return BUILT_IN.get(detectorName);
  }

  /**
   * Creates the event that declares the current version of a policy function, to be produced to
   * the source topic. It has the same effect as {@link AnomalyEngine#activateVersion}, at the
   * event's time under {@link TimeMode#EVENT_TIME} and at the engine clock under
   * {@link TimeMode#WALL_CLOCK}.
   *
   * @param tenant the tenant
   * @param policyModule the policy module
   * @param policyFunction the policy function
   * @param versionId the version that is now current
   * @param at when it became current
   * @return the event, of type {@value #VERSION_ACTIVATION_EVENT_TYPE}
   * @throws NullPointerException if an argument is null
   */
  public static AuditEvent versionActivation(String tenant, String policyModule,
      String policyFunction, String versionId, Instant at) {
    return AuditEvent.builder()
        .tenant(Objects.requireNonNull(tenant, "tenant"))
        .policyModule(Objects.requireNonNull(policyModule, "policyModule"))
        .policyFunction(Objects.requireNonNull(policyFunction, "policyFunction"))
        .versionId(Objects.requireNonNull(versionId, "versionId"))
        .timestamp(Objects.requireNonNull(at, "at"))
        .eventType(VERSION_ACTIVATION_EVENT_TYPE)
        .build();
  }

  /**
   * Builds the Kafka Streams topology.
   *
   * @return a new topology, ready for {@code new KafkaStreams(topology, props)}
   */
  public Topology topology() {
    StreamsBuilder sb = new StreamsBuilder();
    addTo(sb);
    return sb.build();
  }

  /**
   * Adds the anomaly sub-topologies to a host's own {@link StreamsBuilder}, next to its other
   * processing.
   *
   * @param builder the host's builder
   * @throws NullPointerException if {@code builder} is null
   */
  public void addTo(StreamsBuilder builder) {
    Objects.requireNonNull(builder, "builder");
    AuditEventSerde internal = new AuditEventSerde();
    Serde<AuditEvent> source = sourceSerde != null ? sourceSerde : AuditEventSerde.lenient();
    KStream<byte[], AuditEvent> events = builder.stream(sourceTopic,
            Consumed.with(Serdes.ByteArray(), source)
                .withTimestampExtractor(new AuditEventTimestampExtractor())
                .withName(name + "-source"))
        .filter((k, v) -> {
          if (v == null) {
            counters.malformed();
            return false;
          }
          return true;
        }, Named.as(name + "-drop-malformed"));
    for (Map.Entry<Keying, List<DetectorProvider>> g : providers.entrySet()) {
      Keying keying = g.getKey();
      List<DetectorProvider> group = g.getValue();
      String prefix = name + "-" + keying.name().toLowerCase(java.util.Locale.ROOT);
      String store = prefix + "-events";
      builder.addStateStore(Stores.windowStoreBuilder(
          Stores.inMemoryWindowStore(store, stateRetention, Duration.ofMillis(1), true),
          Serdes.String(), internal));
      Repartitioned<String, AuditEvent> repartitioned =
          Repartitioned.<String, AuditEvent>as(prefix).withKeySerde(Serdes.String())
              .withValueSerde(internal);
      if (partitions != null) {
        repartitioned = repartitioned.withNumberOfPartitions(partitions);
      }
      events.filter((k, v) -> keying.accepts(v), Named.as(prefix + "-select"))
          .selectKey((k, v) -> keying.key(v), Named.as(prefix + "-key"))
          .repartition(repartitioned)
          .process(() -> new EngineProcessor(keying, store,
                  c -> engineBuilder(group, c), clock, timeMode,
                  config.get(AnomalySettings.TICK_INTERVAL), counters),
              Named.as(prefix + "-engine"), store)
          .to(notificationTopic, Produced.with(Serdes.String(), Serdes.String())
              .withName(prefix + "-notifications"));
    }
  }

  /**
   * Returns the triage service over the shared repository: list, inspect and change the status
   * of anomalies found by any task on any instance. Verification needs the window state, which
   * lives in the task that owns the anomaly's key: here a verification returns the anomaly to
   * OPEN with the reason recorded in its history (see the README, "Running on several
   * machines").
   *
   * @return the triage service
   */
  public TriageService anomalies() {
    return triageEngine.anomalies();
  }

  /** @return the repository every engine of this topology writes to, the store's if one is set */
  public AnomalyRepository repository() {
    return repository;
  }

  /**
   * Returns the detectors each sub-topology runs, after {@code ANOMALY_DISABLED_DETECTORS}.
   * A keying without a running detector has no sub-topology.
   *
   * @return keying to detector names, in the order they see events
   */
  public Map<Keying, List<String>> detectors() {
    return detectorNames;
  }

  /**
   * Returns counters summed over the tasks of this instance: events processed (once per keying
   * that takes them), events replayed from the state stores and the milliseconds the replays
   * took, version activations taken, malformed records skipped and notifications sent.
   *
   * @return counter name to value
   */
  public Map<String, Long> stats() {
    return counters.snapshot();
  }

  /** Closes the triage engine. Idempotent. */
  @Override
  public void close() {
    triageEngine.close();
  }

  /**
   * Renders a notification record's value: the kind of change, the anomaly as the HTTP API shows
   * it, and the {@value AuditEvent#ALERT_EVENT_TYPE} event in the {@link AuditEventSerde} form.
   *
   * <pre>{@code
   * {"kind":"OPENED","anomaly":{"id":"anom-…","type":"BRUTE_FORCE",…},"alert":{"tenant":…}}
   * }</pre>
   *
   * @param notification the notification
   * @return the JSON
   */
  public static String notificationJson(io.batanomaly.AnomalyNotification notification) {
    return io.batanomaly.kafka.internal.NotificationJson.write(notification);
  }

  /** Builds an {@link AnomalyTopology}. Not thread-safe. */
  public static final class Builder {
    private String sourceTopic;
    private String notificationTopic;
    private String name = "batanomaly";
    private AnomalyConfig config = AnomalyConfig.defaults();
    private InstantSource clock = InstantSource.system();
    private TimeMode timeMode = TimeMode.WALL_CLOCK;
    private AnomalyRepository repository;
    private AnomalyStore store;
    private final List<DetectorProvider> explicit = new ArrayList<>();
    private final Map<String, Keying> keyings = new LinkedHashMap<>();
    private boolean discover = true;
    private ClassLoader classLoader;
    private Serde<AuditEvent> eventSerde;
    private Duration stateRetention = Duration.ofHours(2);
    private Integer partitions;

    private Builder() {}

    /**
     * Sets the topic the audit events are read from (required).
     *
     * @param topic the topic
     * @return this builder
     */
    public Builder sourceTopic(String topic) {
      this.sourceTopic = topic;
      return this;
    }

    /**
     * Sets the topic notifications are written to (required).
     *
     * @param topic the topic
     * @return this builder
     */
    public Builder notificationTopic(String topic) {
      this.notificationTopic = topic;
      return this;
    }

    /**
     * Sets the prefix of the names of the topology's processors, stores and internal topics
     * (default {@code batanomaly}), so two topologies can share one application.
     *
     * @param name the prefix
     * @return this builder
     * @throws IllegalArgumentException if it is blank or holds characters a topic name cannot
     */
    public Builder name(String name) {
      if (name == null || !name.matches("[a-zA-Z0-9._-]+")) {
        throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-',"
            + " but was '" + name + "'");
      }
      this.name = name;
      return this;
    }

    /**
     * Sets the configuration, the same {@code ANOMALY_*} settings as an embedded engine
     * (default: {@link AnomalyConfig#defaults()}).
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(AnomalyConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the clock of {@link TimeMode#WALL_CLOCK} and of the triage service (default: the
     * system clock). Tests pass a manual clock and advance it together with the test driver's
     * wall-clock time.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets which clock the engines run on (default {@link TimeMode#WALL_CLOCK}).
     *
     * @param timeMode the mode
     * @return this builder
     */
    public Builder timeMode(TimeMode timeMode) {
      this.timeMode = Objects.requireNonNull(timeMode, "timeMode");
      return this;
    }

    /**
     * Sets the repository every engine writes anomalies to and triage reads them from (default:
     * in memory, one per instance). Idempotency-Key outcomes and suppressions then stay in each
     * engine's memory; {@link #store} shares them too.
     *
     * @param repository the repository
     * @return this builder
     */
    public Builder repository(AnomalyRepository repository) {
      this.repository = Objects.requireNonNull(repository, "repository");
      return this;
    }

    /**
     * Sets the store every engine of the topology and its triage service share: anomalies,
     * Idempotency-Key outcomes, and the cooldown and dismissal suppressions, so all instances
     * see one triage state and a suppression outlives a failover. Pass the same kind of store
     * on every instance, such as {@code JdbcStore} over one PostgreSQL database. The host keeps
     * ownership and closes it after the Kafka Streams application. Wins over
     * {@link #repository}. The topology never opens a store from {@code ANOMALY_JDBC_URL} by
     * itself (each task's engine would open its own pool): build one and pass it here.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(AnomalyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Registers a detector explicitly, run under {@link Keying#TENANT} unless
     * {@link #keying} says otherwise (a built-in detector's name keeps its own keying).
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder detector(DetectorProvider provider) {
      explicit.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Registers a detector explicitly under a keying.
     *
     * @param provider the provider
     * @param keying the keying its rule needs
     * @return this builder
     */
    public Builder detector(DetectorProvider provider, Keying keying) {
      detector(provider);
      return keying(provider.name(), keying);
    }

    /**
     * Declares the keying of a detector by name, for one found with {@link ServiceLoader}.
     * Choose the finest keying under which the detector still sees every event its rule
     * needs: a rule per service can run under {@link Keying#SERVICE}.
     *
     * @param detectorName the provider's name
     * @param keying the keying
     * @return this builder
     */
    public Builder keying(String detectorName, Keying keying) {
      keyings.put(Objects.requireNonNull(detectorName, "detectorName"),
          Objects.requireNonNull(keying, "keying"));
      return this;
    }

    /**
     * Chooses whether providers are found with {@link ServiceLoader} (default: yes).
     *
     * @param enabled whether to discover
     * @return this builder
     */
    public Builder discoverDetectors(boolean enabled) {
      this.discover = enabled;
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
     * Sets the serde of the source topic, for a host whose events are not in the
     * {@link AuditEventSerde} form (default: {@link AuditEventSerde#lenient()}). A deserializer
     * that returns {@code null} has the record counted as malformed and skipped; one that
     * throws is handled by the application's deserialization exception handler.
     *
     * @param serde the serde
     * @return this builder
     */
    public Builder eventSerde(Serde<AuditEvent> serde) {
      this.eventSerde = Objects.requireNonNull(serde, "serde");
      return this;
    }

    /**
     * Sets how long each task keeps the events of its keys to rebuild its engine's windows
     * after a failover (default two hours: longer than the longest default horizon, the
     * policy-version baselines and the silent-service lookback of 75 minutes each). Raise it
     * when you raise those settings.
     *
     * @param retention the retention
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder stateRetention(Duration retention) {
      if (retention == null || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("stateRetention must be positive, but was "
            + retention);
      }
      this.stateRetention = retention;
      return this;
    }

    /**
     * Sets the partition count of the internal repartition topics (default: that of the source
     * topic). It bounds how many tasks, and so stream threads, each keying can use.
     *
     * @param partitions the count
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder partitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be at least 1, but was "
            + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    /**
     * Builds the topology description. Each keying's detectors are instantiated once here to
     * validate the configuration.
     *
     * @return the topology
     * @throws NullPointerException if the source or notification topic is not set
     * @throws IllegalArgumentException if a setting is invalid (the message lists each with the
     *     value given) or {@code ANOMALY_TICK_INTERVAL} is 0
     * @throws IllegalStateException if two providers share a name
     */
    public AnomalyTopology build() {
      return new AnomalyTopology(this);
    }
  }
}
