package io.batanomaly.internal;

import io.batanomaly.AnomalyNotification;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalyTransitions;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.Finding;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one gate between findings and anomalies, and the only place an anomaly's status changes.
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Dedup</b>: at most one active (OPEN or VERIFYING) anomaly per (tenant, type,
 *       subject). A finding for a key with an active anomaly updates it: last seen, occurrence
 *       count, latest summary, metrics and actions; the severity only rises.
 *   <li><b>Cooldown</b>: when an anomaly is RESOLVED (by any origin), its key opens no new
 *       anomaly until {@code ANOMALY_COOLDOWN} has passed by the engine clock. Findings in that
 *       time are suppressed and counted.
 *   <li><b>Dismissal</b>: a DISMISSED anomaly is a person's judgement that this condition, for
 *       this subject, is not worth acting on. Its key opens no new anomaly for
 *       {@code ANOMALY_DISMISSED_SUPPRESSION} (at least the cooldown) unless a finding is more
 *       severe than the dismissed anomaly: an escalation opens a new anomaly at once, since the
 *       judgement was made about a milder condition. Reopening (OPEN) lifts the suppression.
 *   <li><b>Persistence</b>: the active anomaly of a key is remembered in memory and, when the
 *       memory has none (such as after a restart over a persistent repository), looked up with
 *       {@link AnomalyRepository#findActive} before a new one is opened.
 *   <li><b>Transitions</b> follow {@link AnomalyTransitions}; every change is appended to the
 *       history with its origin, time and note.
 * </ul>
 *
 * <h2>Concurrency</h2>
 *
 * <p>All changes to one key happen under one of 64 striped locks chosen by the key's hash, so a
 * finding and a status update for the same anomaly never interleave, and two racing status
 * updates are applied one after the other: the second sees the first's result and fails with a
 * conflict if the table no longer allows it. The locks are taken per finding or status change,
 * never per event. Snapshots are written with {@link AnomalyRepository#replace}, so a store
 * shared by several engines detects a lost update.
 */
public final class AnomalyLifecycle {

  /** The result of one finding. */
  record Outcome(Anomaly anomaly, boolean opened) {}

  private record Key(String tenant, String type, String subject) {}

  /**
   * Keeps a closed key from opening a new anomaly until {@code untilMillis}; a finding more
   * severe than {@code ceiling} (when not null) gets through.
   */
  private record Suppression(long untilMillis, Severity ceiling) {
    boolean blocks(Finding f, long nowMillis) {
      return nowMillis < untilMillis
          && (ceiling == null || f.severity().compareTo(ceiling) <= 0);
    }
  }

  private static final int STRIPES = 64;
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyLifecycle.class);

  private final AnomalyRepository repository;
  private final InstantSource clock;
  private final long cooldownMillis;
  private final long dismissedMillis;
  private final Consumer<AnomalyNotification> notifier;
  private final io.batanomaly.spi.AnomalyIdGenerator idGenerator;
  private final LongAdder idsReplaced = new LongAdder();
  private final ConcurrentHashMap<Key, String> active = new ConcurrentHashMap<>();

  /** Entries an anomaly's history keeps at most: the opening one and the newest changes. */
  public static final int MAX_HISTORY = 1000;
  private final ConcurrentHashMap<Key, Suppression> suppressions = new ConcurrentHashMap<>();
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
  private final LongAdder opened = new LongAdder();
  private final LongAdder updated = new LongAdder();
  private final LongAdder suppressed = new LongAdder();

  /**
   * Creates the gate.
   *
   * @param repository where anomalies are stored
   * @param clock the engine clock
   * @param cooldownMillis {@code ANOMALY_COOLDOWN}
   * @param notifier receives every notification (the engine's dispatcher queue)
   */
  public AnomalyLifecycle(AnomalyRepository repository, InstantSource clock, long cooldownMillis,
      Consumer<AnomalyNotification> notifier) {
    this(repository, clock, cooldownMillis, cooldownMillis, notifier);
  }

  /**
   * Creates the gate.
   *
   * @param repository where anomalies are stored
   * @param clock the engine clock
   * @param cooldownMillis {@code ANOMALY_COOLDOWN}
   * @param dismissedMillis {@code ANOMALY_DISMISSED_SUPPRESSION}; the cooldown if shorter
   * @param notifier receives every notification (the engine's dispatcher queue)
   */
  public AnomalyLifecycle(AnomalyRepository repository, InstantSource clock, long cooldownMillis,
      long dismissedMillis, Consumer<AnomalyNotification> notifier) {
    this(repository, clock, cooldownMillis, dismissedMillis, notifier,
        io.batanomaly.spi.AnomalyIdGenerator.random());
  }

  /**
   * Creates the gate with a chosen id generator.
   *
   * @param repository where anomalies are stored
   * @param clock the engine clock
   * @param cooldownMillis {@code ANOMALY_COOLDOWN}
   * @param dismissedMillis {@code ANOMALY_DISMISSED_SUPPRESSION}
   * @param notifier receives every notification
   * @param idGenerator chooses the ids of new anomalies
   */
  public AnomalyLifecycle(AnomalyRepository repository, InstantSource clock, long cooldownMillis,
      long dismissedMillis, Consumer<AnomalyNotification> notifier,
      io.batanomaly.spi.AnomalyIdGenerator idGenerator) {
    this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
    this.repository = repository;
    this.clock = clock;
    this.cooldownMillis = cooldownMillis;
    this.dismissedMillis = Math.max(cooldownMillis, dismissedMillis);
    this.notifier = notifier;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  private ReentrantLock lockFor(Key key) {
    return locks[(key.hashCode() & 0x7fffffff) % STRIPES];
  }

  private static Key keyOf(Anomaly a) {
    return new Key(a.tenant(), a.type(), a.subject());
  }

  /**
   * Turns a finding into an anomaly: updates the active one, suppresses it during a cooldown or
   * a dismissal, or opens a new one.
   *
   * @param f the finding
   * @return what happened, or {@code null} if suppressed
   */
  Outcome report(Finding f) {
    Key key = new Key(f.tenant(), f.type(), f.subject());
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      Instant now = clock.instant();
      String id = active.get(key);
      if (id != null) {
        Anomaly current = repository.find(key.tenant, id).orElse(null);
        if (current != null && current.status().isActive()) {
          Anomaly next = absorb(current, f, now);
          if (repository.replace(current, next)) {
            updated.increment();
            if (next.severity().compareTo(current.severity()) > 0) {
              notify(AnomalyNotification.Kind.ESCALATED, next, null);
            }
            return new Outcome(next, false);
          }
          return null;
        }
        active.remove(key, id);
      }
      Suppression suppression = suppressions.get(key);
      if (suppression != null) {
        if (suppression.blocks(f, now.toEpochMilli())) {
          suppressed.increment();
          return null;
        }
        suppressions.remove(key, suppression);
      }
      Anomaly stored = repository.findActive(key.tenant, key.type, key.subject).orElse(null);
      if (stored != null) {
        // known to the repository but not to this engine's memory, such as after a restart
        active.put(key, stored.id());
        Anomaly next = absorb(stored, f, now);
        if (repository.replace(stored, next)) {
          updated.increment();
          return new Outcome(next, false);
        }
        return null;
      }
      Anomaly created = open(f, now);
      repository.insert(created);
      active.put(key, created.id());
      opened.increment();
      notify(AnomalyNotification.Kind.OPENED, created, created.history().get(0));
      return new Outcome(created, true);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Resolves the active OPEN anomaly of a key because its detector says the condition is over.
   * An anomaly being verified is left to its verification.
   */
  void clear(String tenant, String type, String subject, String reason) {
    Key key = new Key(tenant, type, subject);
    String id = active.get(key);
    if (id == null) {
      return;
    }
    try {
      transition(tenant, id, AnomalyStatus.RESOLVED, Origin.DETECTOR, reason, Map.of(),
          current -> current.status() == AnomalyStatus.OPEN);
    } catch (AnomalyNotFoundException | IllegalTransitionException gone) {
      // closed or verified in the meantime: nothing to clear
    }
  }

  /**
   * Changes an anomaly's status under its key's lock.
   *
   * @param tenant the tenant
   * @param id the anomaly id
   * @param to the target status
   * @param origin who asks
   * @param note the note to record, or {@code null}
   * @param metrics evidence to record with the change
   * @param precondition checked under the lock on the current snapshot; when it fails, the
   *     current snapshot is returned unchanged
   * @return the anomaly after the change
   * @throws AnomalyNotFoundException if the tenant has no such anomaly
   * @throws IllegalTransitionException if the table does not allow the change, or reopening
   *     would make a second active anomaly for the same type and subject
   */
  public Anomaly transition(String tenant, String id, AnomalyStatus to, Origin origin,
      String note, Map<String, Object> metrics, java.util.function.Predicate<Anomaly> precondition) {
    Anomaly first = repository.find(tenant, id).orElseThrow(() -> new AnomalyNotFoundException(id));
    Key key = keyOf(first);
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      Anomaly current =
          repository.find(tenant, id).orElseThrow(() -> new AnomalyNotFoundException(id));
      if (precondition != null && !precondition.test(current)) {
        return current;
      }
      AnomalyTransitions.check(id, current.status(), to, origin);
      if (to.isActive() && !current.status().isActive()) {
        String other = otherActive(key, id);
        if (other != null) {
          throw new IllegalTransitionException(id, current.status(), to,
              "anomaly '" + other + "' is already active for the same type and subject");
        }
      }
      Instant now = clock.instant();
      HistoryEntry change = new HistoryEntry(current.status(), to, now, note, origin, metrics);
      List<HistoryEntry> history = boundedHistory(current.history(), change);
      Anomaly next = new Anomaly(current.id(), current.tenant(), current.type(),
          current.subject(), current.service(), current.identifier(), current.policyModule(),
          current.policyFunction(), current.versionId(), current.detectedAt(),
          current.lastSeenAt(), current.occurrences(), to, current.severity(), current.summary(),
          current.metrics(), current.recommendedActions(), history);
      if (!repository.replace(current, next)) {
        // lost a race: removed meanwhile (the per-tenant bound, retention) is a 404, changed by
        // another engine on the same store a 409, never a 500
        Anomaly stored = repository.find(tenant, id).orElse(null);
        if (stored == null) {
          throw new AnomalyNotFoundException(id);
        }
        throw new IllegalTransitionException(id, stored.status(), to,
            "the anomaly was changed at the same moment by another request; read it again");
      }
      if (to.isActive()) {
        active.put(key, id);
        suppressions.remove(key);
      } else {
        active.remove(key, id);
        suppressions.put(key, to == AnomalyStatus.DISMISSED
            ? new Suppression(now.toEpochMilli() + dismissedMillis, next.severity())
            : new Suppression(now.toEpochMilli() + cooldownMillis, null));
      }
      notify(AnomalyNotification.Kind.STATUS_CHANGED, next, change);
      return next;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns a sink that reports straight to this gate, for findings outside an ingest call
   * (ticks).
   *
   * @return the sink
   */
  public io.batanomaly.spi.FindingSink sink() {
    return new io.batanomaly.spi.FindingSink() {
      @Override
      public void report(Finding finding) {
        AnomalyLifecycle.this.report(finding);
      }

      @Override
      public void clear(String tenant, String type, String subject, String reason) {
        AnomalyLifecycle.this.clear(tenant, type, subject, reason);
      }
    };
  }

  /**
   * Returns the id of another active anomaly for the same key, checking the repository so that
   * an anomaly removed meanwhile (by the per-tenant bound) no longer counts. Called under the
   * key's lock.
   */
  private String otherActive(Key key, String id) {
    String other = active.get(key);
    if (other != null && !other.equals(id)) {
      Anomaly a = repository.find(key.tenant, other).orElse(null);
      if (a != null && a.status().isActive()) {
        return other;
      }
      active.remove(key, other);
    }
    Anomaly stored = repository.findActive(key.tenant, key.type, key.subject).orElse(null);
    return stored == null || stored.id().equals(id) ? null : stored.id();
  }

  /**
   * Returns {@code history} with {@code change} appended, keeping at most
   * {@link #MAX_HISTORY} entries: the opening entry and the newest changes. So an anomaly
   * verified or reopened over and over does not grow without bound, and the copy each change
   * makes stays small.
   */
  static List<HistoryEntry> boundedHistory(List<HistoryEntry> history, HistoryEntry change) {
    int keep = Math.min(history.size(), MAX_HISTORY - 1);
    List<HistoryEntry> next = new ArrayList<>(keep + 1);
    if (keep < history.size()) {
      next.add(history.get(0));
      next.addAll(history.subList(history.size() - keep + 1, history.size()));
    } else {
      next.addAll(history);
    }
    next.add(change);
    return next;
  }

  /**
   * Forgets cooldowns and dismissal suppressions that have expired, and the index entries of
   * active anomalies the repository no longer holds as active (removed by its bound, or closed
   * by another engine on the same store), so the index stays as large as the active anomalies
   * and {@link #activeCount} counts them. Called on engine ticks.
   */
  public void expire(long nowMillis) {
    suppressions.values().removeIf(s -> s.untilMillis() <= nowMillis);
    for (Map.Entry<Key, String> e : active.entrySet()) {
      Key key = e.getKey();
      String id = e.getValue();
      ReentrantLock lock = lockFor(key);
      lock.lock();
      try {
        Anomaly a = repository.find(key.tenant, id).orElse(null);
        if (a == null || !a.status().isActive()) {
          active.remove(key, id);
        }
      } catch (RuntimeException storeDown) {
        // the store cannot answer now: the entry is checked again on the next tick
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  private Anomaly open(Finding f, Instant now) {
    HistoryEntry opening =
        new HistoryEntry(null, AnomalyStatus.OPEN, now, f.summary(), Origin.DETECTOR, Map.of());
    return new Anomaly(newId(f), f.tenant(), f.type(), f.subject(), f.service(), f.identifier(),
        f.policyModule(), f.policyFunction(), f.versionId(), now, now, 1, AnomalyStatus.OPEN,
        f.severity(), f.summary(), f.metrics(), f.recommendedActions(), List.of(opening));
  }

  private static Anomaly absorb(Anomaly a, Finding f, Instant now) {
    Severity severity = a.severity().max(f.severity());
    return new Anomaly(a.id(), a.tenant(), a.type(), a.subject(), a.service(), a.identifier(),
        a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(), now,
        a.occurrences() + 1, a.status(), severity, f.summary(), f.metrics(),
        f.recommendedActions(), a.history());
  }

  private String newId(Finding f) {
    String id;
    try {
      id = idGenerator.newId(f);
    } catch (RuntimeException e) {
      LOG.warn("Anomaly id generator {} failed; a random id is used", idGenerator, e);
      id = null;
    }
    if (!io.batanomaly.spi.AnomalyIdGenerator.isValid(id)
        || repository.find(f.tenant(), id).isPresent()) {
      if (id != null) {
        idsReplaced.increment();
        LOG.warn("Anomaly id '{}' is invalid or already used in tenant '{}'; a random id is used",
            id.length() > 64 ? id.substring(0, 64) + "…" : id, f.tenant());
      }
      do {
        id = io.batanomaly.spi.AnomalyIdGenerator.random().newId(f);
      } while (repository.find(f.tenant(), id).isPresent());
    }
    return id;
  }

  private void notify(AnomalyNotification.Kind kind, Anomaly a, HistoryEntry change) {
    notifier.accept(new AnomalyNotification(kind, a, alertEvent(a, kind, change), change));
  }

  /** The {@code system.alert} audit event recording an anomaly's notification. */
  static AuditEvent alertEvent(Anomaly a, AnomalyNotification.Kind kind, HistoryEntry change) {
    AuditEvent.Builder b = AuditEvent.builder()
        .tenant(a.tenant())
        .service(a.service() != null ? a.service() : "batanomaly")
        .timestamp(change != null ? change.at() : a.lastSeenAt())
        .eventType(AuditEvent.ALERT_EVENT_TYPE)
        .identifier(a.identifier())
        .attribute("notification", kind.name())
        .attribute("anomalyId", a.id())
        .attribute("anomalyType", a.type())
        .attribute("subject", a.subject())
        .attribute("severity", a.severity().name())
        .attribute("status", a.status().name())
        .attribute("summary", a.summary());
    if (a.versionId() != null) {
      b.policyModule(a.policyModule()).policyFunction(a.policyFunction()).versionId(a.versionId());
    }
    return b.build();
  }

  /** @return anomalies opened */
  public long opened() {
    return opened.sum();
  }

  /** @return findings that updated an active anomaly */
  public long updated() {
    return updated.sum();
  }

  /** @return findings suppressed by cooldown */
  public long suppressed() {
    return suppressed.sum();
  }

  /** @return keys whose new findings are held back by a cooldown or a dismissal */
  public int suppressedKeys() {
    return suppressions.size();
  }

  /** @return active anomalies */
  public int activeCount() {
    return active.size();
  }

  /** @return the repository */
  public AnomalyRepository repository() {
    return repository;
  }

  static String requireTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return tenant;
  }
}
