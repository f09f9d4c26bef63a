package io.batanomaly.micrometer;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.EngineHealth;
import io.batanomaly.RejectReason;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Exposes an engine's {@link EngineHealth} snapshot as Micrometer meters named
 * {@code batanomaly.*}.
 *
 * <pre>{@code
 * new BatanomalyMetrics(engine).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter is a function counter (a count since the engine was built) or a gauge (a count
 * now) that reads the snapshot; nothing is recorded on the ingest path. One scrape reads one
 * snapshot: a snapshot is reused by every meter for one second of the registry's clock, then
 * taken afresh.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>kind</th><th>tags</th></tr>
 * <tr><td>{@code batanomaly.events.accepted}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.events.rejected}</td><td>counter</td><td>{@code reason}, one per
 *     {@link RejectReason}</td></tr>
 * <tr><td>{@code batanomaly.batches}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.tenants.tracked}, {@code batanomaly.services.tracked}</td>
 *     <td>gauge</td><td></td></tr>
 * <tr><td>{@code batanomaly.scopes.evicted}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.anomalies.opened}, {@code batanomaly.findings.deduplicated},
 *     {@code batanomaly.findings.suppressed}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.anomalies.active}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code batanomaly.verifications.pending}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code batanomaly.verifications.failed}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.listener.queue.depth}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code batanomaly.notifications.dropped}, {@code batanomaly.listener.failures},
 *     {@code batanomaly.detector.errors}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.idempotency.keys}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code batanomaly.idempotency.keys.dropped}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.store.available} (1 or 0), {@code batanomaly.findings.buffered}</td>
 *     <td>gauge</td><td></td></tr>
 * <tr><td>{@code batanomaly.findings.overflowed}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code batanomaly.detector.<stat>}, such as {@code batanomaly.detector.keys.tracked}
 *     and {@code batanomaly.detector.keys.evicted}</td><td>gauge when the stat's name ends in
 *     {@code Tracked}, else counter</td><td>{@code detector}</td></tr>
 * </table>
 *
 * <p>A detector's counters ({@link io.batanomaly.spi.Detector#stats()}) become meters by their
 * names, {@code keysEvicted} as {@code batanomaly.detector.keys.evicted}, so a third-party
 * detector's counters are exported the same way. They are registered when the binder is bound,
 * from the detectors and counters the snapshot holds then.
 *
 * <p>Meters are tagged by detector and by reject reason only, never by tenant, service or
 * identifier: those are unbounded, and a metric must not carry one tenant's data to another.
 * Tags given to the constructor are added to every meter (to tell two engines apart, say).
 *
 * <p>Thread-safe: meters may be read from any thread.
 */
public final class BatanomalyMetrics implements MeterBinder {

  /** How long one snapshot serves every meter, so one scrape takes one snapshot. */
  private static final long SNAPSHOT_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Supplier<EngineHealth> health;
  private final Tags tags;
  private final Object lock = new Object();
  private EngineHealth snapshot;
  private long snapshotAtNanos;

  /**
   * Creates a binder over an engine's {@link AnomalyEngine#health()}.
   *
   * @param engine the engine
   * @throws NullPointerException if {@code engine} is null
   */
  public BatanomalyMetrics(AnomalyEngine engine) {
    this(Objects.requireNonNull(engine, "engine")::health, Tags.empty());
  }

  /**
   * Creates a binder over a source of snapshots, such as {@code engine::health}, adding tags to
   * every meter.
   *
   * @param health takes a snapshot
   * @param tags tags added to every meter, such as the engine's name; none may be keyed
   *     {@code detector} or {@code reason}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if a tag is keyed {@code detector} or {@code reason}
   */
  public BatanomalyMetrics(Supplier<EngineHealth> health, Iterable<Tag> tags) {
    this.health = Objects.requireNonNull(health, "health");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    for (Tag t : this.tags) {
      if (t.getKey().equals("detector") || t.getKey().equals("reason")) {
        throw new IllegalArgumentException("the tag key '" + t.getKey()
            + "' is set by the binder itself, but was given among the common tags");
      }
    }
  }

  /**
   * Registers the meters.
   *
   * @param registry the registry
   * @throws NullPointerException if {@code registry} is null
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    Clock clock = registry.config().clock();
    counter(registry, clock, "batanomaly.events.accepted", "events", Tags.empty(),
        "Events accepted by ingest", EngineHealth::eventsAccepted);
    for (RejectReason reason : RejectReason.values()) {
      counter(registry, clock, "batanomaly.events.rejected", "events",
          Tags.of("reason", reason.name()), "Events rejected by ingest, by reason",
          h -> h.eventsRejected().getOrDefault(reason, 0L));
    }
    counter(registry, clock, "batanomaly.batches", "batches", Tags.empty(),
        "Batches ingested", EngineHealth::batches);
    gauge(registry, clock, "batanomaly.tenants.tracked", "tenants",
        "Tenants tracked now", EngineHealth::tenantsTracked);
    gauge(registry, clock, "batanomaly.services.tracked", "services",
        "Services tracked now, over all tenants", EngineHealth::servicesTracked);
    counter(registry, clock, "batanomaly.scopes.evicted", "scopes", Tags.empty(),
        "Idle tenants and services evicted to make room", EngineHealth::scopesEvicted);
    counter(registry, clock, "batanomaly.anomalies.opened", "anomalies", Tags.empty(),
        "Anomalies opened", EngineHealth::anomaliesOpened);
    counter(registry, clock, "batanomaly.findings.deduplicated", "findings", Tags.empty(),
        "Findings that updated an active anomaly instead of opening one",
        EngineHealth::findingsDeduplicated);
    counter(registry, clock, "batanomaly.findings.suppressed", "findings", Tags.empty(),
        "Findings held back by a cooldown or a dismissal", EngineHealth::findingsSuppressed);
    gauge(registry, clock, "batanomaly.anomalies.active", "anomalies",
        "Anomalies OPEN or VERIFYING now", EngineHealth::anomaliesActive);
    gauge(registry, clock, "batanomaly.verifications.pending", "verifications",
        "Verification jobs running now", EngineHealth::verificationsPending);
    counter(registry, clock, "batanomaly.verifications.failed", "verifications", Tags.empty(),
        "Verification jobs that failed, timed out or could not run",
        EngineHealth::verificationsFailed);
    gauge(registry, clock, "batanomaly.listener.queue.depth", "notifications",
        "Notifications waiting for listeners", EngineHealth::listenerQueueDepth);
    counter(registry, clock, "batanomaly.notifications.dropped", "notifications", Tags.empty(),
        "Notifications dropped because a listener's queue was full",
        EngineHealth::notificationsDropped);
    counter(registry, clock, "batanomaly.listener.failures", "calls", Tags.empty(),
        "Listener calls that threw", EngineHealth::listenerFailures);
    counter(registry, clock, "batanomaly.detector.errors", "errors", Tags.empty(),
        "Exceptions thrown by detectors and caught by the engine", EngineHealth::detectorErrors);
    gauge(registry, clock, "batanomaly.idempotency.keys", "keys",
        "Idempotency-Keys held now", EngineHealth::idempotencyKeys);
    counter(registry, clock, "batanomaly.idempotency.keys.dropped", "keys", Tags.empty(),
        "Unexpired Idempotency-Keys dropped because the store was full",
        EngineHealth::idempotencyKeysDropped);
    gauge(registry, clock, "batanomaly.store.available", null,
        "1 while the anomaly store takes writes, 0 while findings wait for it",
        h -> h.storeAvailable() ? 1 : 0);
    gauge(registry, clock, "batanomaly.findings.buffered", "findings",
        "Findings waiting in memory for the store to answer again", EngineHealth::findingsBuffered);
    counter(registry, clock, "batanomaly.findings.overflowed", "findings", Tags.empty(),
        "Findings lost because the buffer for an unavailable store was full",
        EngineHealth::findingsOverflowed);
    // the detectors and their counters, from a snapshot of their own: one kept for the meters
    // now would show the engine as it was at binding to a scrape within the next second
    for (Map.Entry<String, Map<String, Long>> d : health.get().detectors().entrySet()) {
      String detector = d.getKey();
      for (String stat : d.getValue().keySet()) {
        String name = "batanomaly.detector." + dotted(stat);
        ToDoubleFunction<EngineHealth> read = h -> {
          Map<String, Long> stats = h.detectors().get(detector);
          Long v = stats == null ? null : stats.get(stat);
          return v == null ? Double.NaN : v;
        };
        String description = "The " + stat + " counter of each detector";
        if (stat.endsWith("Tracked")) {
          gaugeTagged(registry, clock, name, Tags.of("detector", detector), description, read);
        } else {
          counter(registry, clock, name, null, Tags.of("detector", detector), description, read);
        }
      }
    }
  }

  /** {@code keysEvicted} becomes {@code keys.evicted}, as Micrometer names meters. */
  static String dotted(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '.') {
          sb.append('.');
        }
        sb.append(Character.toLowerCase(c));
      } else if (c == '_' || c == '-' || c == ' ') {
        sb.append('.');
      } else {
        sb.append(c);
      }
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private void counter(MeterRegistry registry, Clock clock, String name, String unit, Tags extra,
      String description, ToDoubleFunction<EngineHealth> read) {
    // the function holds the binder strongly: a registry keeps only a weak reference to the
    // object, and a binder bound and forgotten must go on reporting
    FunctionCounter.builder(name, this, m -> read(clock, read))
        .description(description)
        .baseUnit(unit)
        .tags(tags.and(extra))
        .register(registry);
  }

  private void gauge(MeterRegistry registry, Clock clock, String name, String unit,
      String description, ToDoubleFunction<EngineHealth> read) {
    Gauge.builder(name, this, m -> m.read(clock, read))
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private void gaugeTagged(MeterRegistry registry, Clock clock, String name, Tags extra,
      String description, ToDoubleFunction<EngineHealth> read) {
    Gauge.builder(name, this, m -> m.read(clock, read))
        .description(description)
        .tags(tags.and(extra))
        .strongReference(true)
        .register(registry);
  }

  private double read(Clock clock, ToDoubleFunction<EngineHealth> read) {
    return read.applyAsDouble(snapshot(clock));
  }

  /**
   * Returns the snapshot taken within the last second of the registry clock, or a new one. A
   * lock keeps two meters read at once from taking two snapshots; ingest never takes it.
   */
  private EngineHealth snapshot(Clock clock) {
    long now = clock.monotonicTime();
    synchronized (lock) {
      if (snapshot == null || now - snapshotAtNanos >= SNAPSHOT_REUSE_NANOS
          || now < snapshotAtNanos) {
        snapshot = health.get();
        snapshotAtNanos = now;
      }
      return snapshot;
    }
  }
}
