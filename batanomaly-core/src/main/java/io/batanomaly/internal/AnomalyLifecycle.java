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
import io.batanomaly.spi.ActiveAnomalyExistsException;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.SuppressionStore;
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
 *       memory has none (such as after a restart over a persistent repository, or when another
 *       engine on the same store opened it), looked up with
 *       {@link AnomalyRepository#findActive} before a new one is opened. Cooldowns and
 *       dismissals live in the {@link SuppressionStore}, so every engine on a shared store, and
 *       the same one after a restart, honours them.
 *   <li><b>An unavailable store</b>: a finding the store cannot take goes to a bounded buffer
 *       ({@code ANOMALY_STORE_BUFFER}); until {@link #retryBuffered} (on ticks) has stored the
 *       buffer, findings go straight to it, so ingest waits for a failing store at most once.
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
 * shared by several engines detects a lost update: the change is then computed again from the
 * stored snapshot (up to 16 times), and a status change the table no longer allows fails with a
 * conflict naming the current status. An insert refused because another engine opened the key's
 * anomaly first ({@link ActiveAnomalyExistsException}) folds the finding into that anomaly.
 */
public final class AnomalyLifecycle {

  /** The result of one finding. */
  record Outcome(Anomaly anomaly, boolean opened) {}

  private record Key(String tenant, String type, String subject) {}

  /**
   * Findings a key's active anomaly absorbed in memory since it was last written (stores that
   * {@linkplain AnomalyRepository#batchesFindingUpdates batch finding updates}). Guarded by the
   * key's lock.
   */
  private static final class Pending {
    final String id;
    Anomaly view;
    long count;

    Pending(String id) {
      this.id = id;
    }
  }

  private static final int STRIPES = 64;
  /** Races lost to other engines on one store before a finding or a change gives up. */
  private static final int MAX_ATTEMPTS = 16;
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyLifecycle.class);

  private final AnomalyRepository repository;
  private final SuppressionStore suppressions;
  private final InstantSource clock;
  private final long cooldownMillis;
  private final long dismissedMillis;
  private final Consumer<AnomalyNotification> notifier;
  private final io.batanomaly.spi.AnomalyIdGenerator idGenerator;
  private final LongAdder idsReplaced = new LongAdder();
  private final ConcurrentHashMap<Key, String> active = new ConcurrentHashMap<>();

  /** Entries an anomaly's history keeps at most: the opening one and the newest changes. */
  public static final int MAX_HISTORY = 1000;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
  private final LongAdder opened = new LongAdder();
  private final LongAdder updated = new LongAdder();
  private final LongAdder suppressed = new LongAdder();
  private final LongAdder racesLost = new LongAdder();
  private final StoreBuffer buffer;
  private final boolean batchUpdates;
  /** The last snapshot of each active anomaly this engine wrote or read, when batching. */
  private final ConcurrentHashMap<Key, Anomaly> known = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, Pending> pending = new ConcurrentHashMap<>();
  /**
   * Suppressions read from a batching store, kept for {@link #SUPPRESSION_RECHECK_MILLIS} so
   * that the findings of a closed key during its cooldown do not each read the store.
   */
  private final ConcurrentHashMap<Key, CachedSuppression> suppressionCache =
      new ConcurrentHashMap<>();

  private record CachedSuppression(SuppressionStore.Suppression suppression, long checkAgainAt) {}

  /** How long a suppression read from a batching store is trusted before it is read again. */
  static final long SUPPRESSION_RECHECK_MILLIS = 10_000;

  /**
   * Creates the gate over an in-memory suppression store and a buffer of 10,000 findings.
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
   * Creates the gate over an in-memory suppression store and a buffer of 10,000 findings.
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
   * Creates the gate with a chosen id generator, over an in-memory suppression store and a
   * buffer of 10,000 findings.
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
    this(repository, new InMemorySuppressionStore(), 10_000, clock, cooldownMillis,
        dismissedMillis, notifier, idGenerator);
  }

  /**
   * Creates the gate.
   *
   * @param repository where anomalies are stored
   * @param suppressions where cooldowns and dismissals are stored
   * @param bufferCapacity findings kept while the store is unavailable
   * @param clock the engine clock
   * @param cooldownMillis {@code ANOMALY_COOLDOWN}
   * @param dismissedMillis {@code ANOMALY_DISMISSED_SUPPRESSION}
   * @param notifier receives every notification
   * @param idGenerator chooses the ids of new anomalies
   */
  public AnomalyLifecycle(AnomalyRepository repository, SuppressionStore suppressions,
      int bufferCapacity, InstantSource clock, long cooldownMillis, long dismissedMillis,
      Consumer<AnomalyNotification> notifier, io.batanomaly.spi.AnomalyIdGenerator idGenerator) {
    this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.suppressions = Objects.requireNonNull(suppressions, "suppressions");
    this.clock = clock;
    this.cooldownMillis = cooldownMillis;
    this.dismissedMillis = Math.max(cooldownMillis, dismissedMillis);
    this.notifier = notifier;
    this.buffer = new StoreBuffer(bufferCapacity);
    this.batchUpdates = repository.batchesFindingUpdates();
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
   * a dismissal, or opens a new one. When the store fails, or has failed and not yet recovered,
   * the finding is kept in the buffer for {@link #retryBuffered} and {@code null} is returned;
   * this method never throws because of the store.
   *
   * @param f the finding
   * @return what happened, or {@code null} if suppressed, buffered or given up after races
   */
  Outcome report(Finding f) {
    if (!buffer.bypass()) {
      buffer.offer(f);
      return null;
    }
    try {
      return reportNow(f);
    } catch (RuntimeException storeFailure) {
      buffer.failed(storeFailure);
      buffer.offer(f);
      return null;
    }
  }

  /**
   * Stores the buffered findings once the store answers again; called on engine ticks. While
   * the buffer is empty and the store is marked unavailable, a cheap read probes it.
   */
  public void retryBuffered() {
    if (buffer.bypass()) {
      return;
    }
    if (buffer.isEmpty()) {
      try {
        repository.find("batanomaly-probe", "batanomaly-probe");
        buffer.recovered();
      } catch (RuntimeException stillDown) {
        buffer.failed(stillDown);
      }
      return;
    }
    Finding f;
    while ((f = buffer.peek()) != null) {
      try {
        reportNow(f);
      } catch (RuntimeException stillDown) {
        buffer.failed(stillDown);
        return;
      }
      buffer.remove(f);
    }
    buffer.recovered();
  }

  private Outcome reportNow(Finding f) {
    Key key = new Key(f.tenant(), f.type(), f.subject());
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      Instant now = clock.instant();
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        Anomaly current = null;
        String id = active.get(key);
        if (id != null && batchUpdates) {
          Outcome deferred = absorbInMemory(key, id, f, now);
          if (deferred != null) {
            return deferred;
          }
        }
        if (id != null) {
          current = repository.find(key.tenant, id).filter(a -> a.status().isActive())
              .orElse(null);
          if (current == null) {
            active.remove(key, id);
          }
        }
        if (current == null) {
          SuppressionStore.Suppression s = suppression(key, now);
          if (s != null && s.blocks(f.severity(), now)) {
            suppressed.increment();
            return null;
          }
          // known to the store but not to this engine's memory: after a restart, or opened by
          // another engine on the same store
          current = repository.findActive(key.tenant, key.type, key.subject).orElse(null);
          if (current != null) {
            active.put(key, current.id());
          }
        }
        if (current != null) {
          Anomaly next = absorb(current, f, now);
          if (repository.replace(current, next)) {
            updated.increment();
            remember(key, next);
            if (next.severity().compareTo(current.severity()) > 0) {
              notify(AnomalyNotification.Kind.ESCALATED, next, null);
            }
            return new Outcome(next, false);
          }
          racesLost.increment(); // changed by another engine meanwhile: read it again
          continue;
        }
        Anomaly created;
        try {
          created = insertNew(open(f, now), f);
        } catch (ActiveAnomalyExistsException lost) {
          racesLost.increment(); // another engine opened it first: fold into the winner
          continue;
        }
        active.put(key, created.id());
        remember(key, created);
        opened.increment();
        notify(AnomalyNotification.Kind.OPENED, created, created.history().get(0));
        return new Outcome(created, true);
      }
      LOG.warn("A finding of {} for '{}' in tenant '{}' lost {} races in a row on the store and"
          + " was dropped", key.type, key.subject, key.tenant, MAX_ATTEMPTS);
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the key's suppression: from the store, or, for a batching store, from what was read
   * within the last {@link #SUPPRESSION_RECHECK_MILLIS} (another engine's reopening is seen
   * that much later). Called under the key's lock.
   */
  private SuppressionStore.Suppression suppression(Key key, Instant now) {
    if (!batchUpdates) {
      return suppressions.find(key.tenant, key.type, key.subject).orElse(null);
    }
    long nowMillis = now.toEpochMilli();
    CachedSuppression cached = suppressionCache.get(key);
    if (cached != null && nowMillis < cached.checkAgainAt()
        && cached.suppression().until().isAfter(now)) {
      return cached.suppression();
    }
    SuppressionStore.Suppression s =
        suppressions.find(key.tenant, key.type, key.subject).orElse(null);
    if (s != null && s.until().isAfter(now)) {
      suppressionCache.put(key, new CachedSuppression(s, nowMillis + SUPPRESSION_RECHECK_MILLIS));
    } else {
      suppressionCache.remove(key);
    }
    return s;
  }

  private void remember(Key key, Anomaly a) {
    if (batchUpdates) {
      known.put(key, a);
    }
  }

  /**
   * Absorbs a finding into the snapshot this engine last wrote or read, in memory, to be written
   * on the next tick. Called under the key's lock.
   *
   * @return the outcome, or {@code null} if this engine knows no active snapshot of {@code id}
   */
  private Outcome absorbInMemory(Key key, String id, Finding f, Instant now) {
    Pending p = pending.get(key);
    if (p != null && !p.id.equals(id)) {
      p = null;
    }
    Anomaly base = p != null ? p.view : known.get(key);
    if (base == null || !base.id().equals(id) || !base.status().isActive()) {
      return null;
    }
    Anomaly next = absorb(base, f, now);
    if (p == null) {
      p = new Pending(id);
      pending.put(key, p);
    }
    p.view = next;
    p.count++;
    updated.increment();
    if (next.severity().compareTo(base.severity()) > 0) {
      notify(AnomalyNotification.Kind.ESCALATED, next, null);
    }
    return new Outcome(next, false);
  }

  /**
   * Writes the finding updates absorbed in memory since the last tick, each merged onto the
   * stored anomaly: occurrences added, last seen and severity raised, the latest evidence.
   * Called on engine ticks and when the engine closes; does nothing for a store that does not
   * {@linkplain AnomalyRepository#batchesFindingUpdates batch finding updates}. A store that
   * fails keeps the rest for the next tick.
   */
  public void flushPending() {
    for (Key key : pending.keySet()) {
      ReentrantLock lock = lockFor(key);
      lock.lock();
      try {
        flush(key);
      } catch (RuntimeException storeFailure) {
        buffer.failed(storeFailure);
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  /** Writes one key's pending updates. Called under the key's lock. */
  private void flush(Key key) {
    Pending p = pending.get(key);
    if (p == null) {
      return;
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Anomaly stored = repository.find(key.tenant, p.id).orElse(null);
      if (stored == null || !stored.status().isActive()) {
        // closed (by another engine) or removed meanwhile: its findings came too late
        pending.remove(key, p);
        known.remove(key);
        return;
      }
      Anomaly merged = new Anomaly(stored.id(), stored.tenant(), stored.type(),
          stored.subject(), stored.service(), stored.identifier(), stored.policyModule(),
          stored.policyFunction(), stored.versionId(), stored.detectedAt(),
          p.view.lastSeenAt().isAfter(stored.lastSeenAt()) ? p.view.lastSeenAt()
              : stored.lastSeenAt(),
          stored.occurrences() + p.count, stored.status(),
          stored.severity().max(p.view.severity()), p.view.summary(), p.view.metrics(),
          p.view.recommendedActions(), stored.history());
      if (repository.replace(stored, merged)) {
        pending.remove(key, p);
        known.put(key, merged);
        return;
      }
      racesLost.increment();
    }
    LOG.warn("The updates of anomaly '{}' lost {} races in a row on the store and were dropped",
        p.id, MAX_ATTEMPTS);
    pending.remove(key, p);
    known.remove(key);
  }

  /** @return keys whose finding updates wait in memory for the next tick */
  public int pendingUpdates() {
    return pending.size();
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
      flush(key); // a status change sees every finding the anomaly absorbed
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        Anomaly current =
            repository.find(tenant, id).orElseThrow(() -> new AnomalyNotFoundException(id));
        if (precondition != null && !precondition.test(current)) {
          return current;
        }
        AnomalyTransitions.check(id, current.status(), to, origin);
        if (to.isActive() && !current.status().isActive()) {
          String other = otherActive(key, id);
          if (other != null) {
            throw alreadyActive(id, current.status(), to, other);
          }
        }
        Instant now = clock.instant();
        HistoryEntry change = new HistoryEntry(current.status(), to, now, note, origin, metrics);
        List<HistoryEntry> history = boundedHistory(current.history(), change);
        Anomaly next = new Anomaly(current.id(), current.tenant(), current.type(),
            current.subject(), current.service(), current.identifier(), current.policyModule(),
            current.policyFunction(), current.versionId(), current.detectedAt(),
            current.lastSeenAt(), current.occurrences(), to, current.severity(),
            current.summary(), current.metrics(), current.recommendedActions(), history);
        boolean replaced;
        try {
          replaced = repository.replace(current, next);
        } catch (ActiveAnomalyExistsException lost) {
          String other = repository.findActive(key.tenant, key.type, key.subject)
              .map(Anomaly::id).orElse("another anomaly");
          throw alreadyActive(id, current.status(), to, other);
        }
        if (!replaced) {
          // another engine changed it first: the next round judges the change against its result
          racesLost.increment();
          continue;
        }
        if (to.isActive()) {
          active.put(key, id);
          remember(key, next);
          suppressionCache.remove(key);
          keepSuppression(() -> suppressions.remove(key.tenant, key.type, key.subject), id);
        } else {
          active.remove(key, id);
          known.remove(key);
          SuppressionStore.Suppression s = to == AnomalyStatus.DISMISSED
              ? new SuppressionStore.Suppression(key.tenant, key.type, key.subject,
                  now.plusMillis(dismissedMillis), next.severity())
              : new SuppressionStore.Suppression(key.tenant, key.type, key.subject,
                  now.plusMillis(cooldownMillis), null);
          suppressionCache.remove(key);
          keepSuppression(() -> suppressions.save(s), id);
        }
        notify(AnomalyNotification.Kind.STATUS_CHANGED, next, change);
        return next;
      }
      Anomaly current =
          repository.find(tenant, id).orElseThrow(() -> new AnomalyNotFoundException(id));
      throw new IllegalTransitionException(id, current.status(), to,
          "it was changed by other engines " + MAX_ATTEMPTS + " times in a row; retry");
    } finally {
      lock.unlock();
    }
  }

  private static IllegalTransitionException alreadyActive(String id, AnomalyStatus from,
      AnomalyStatus to, String other) {
    return new IllegalTransitionException(id, from, to,
        "anomaly '" + other + "' is already active for the same type and subject");
  }

  /** The status change is made; a suppression the store refuses is logged, not thrown. */
  private static void keepSuppression(Runnable write, String id) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.warn("Could not store the suppression left by anomaly '{}'", id, e);
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
    suppressionCache.values().removeIf(c -> c.checkAgainAt() <= nowMillis);
    suppressions.expire(Instant.ofEpochMilli(nowMillis));
    if (!buffer.available()) {
      return; // the store is down: the index is checked again once it answers
    }
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
    if (!io.batanomaly.spi.AnomalyIdGenerator.isValid(id)) {
      if (id != null) {
        replacedId(id, f.tenant());
      }
      id = io.batanomaly.spi.AnomalyIdGenerator.random().newId(f);
    }
    return id;
  }

  private void replacedId(String id, String tenant) {
    idsReplaced.increment();
    LOG.warn("Anomaly id '{}' is invalid or already used in tenant '{}'; a random id is used",
        id.length() > 64 ? id.substring(0, 64) + "…" : id, tenant);
  }

  /**
   * Inserts a new anomaly; an id the store already holds (a host's generator repeating itself)
   * is replaced with a random one. Checking on insert rather than before saves a store round
   * trip per new anomaly.
   */
  private Anomaly insertNew(Anomaly a, Finding f) {
    for (int attempt = 0; ; attempt++) {
      try {
        repository.insert(a);
        return a;
      } catch (IllegalArgumentException taken) {
        if (attempt >= MAX_ATTEMPTS) {
          throw taken;
        }
        replacedId(a.id(), a.tenant());
        a = new Anomaly(io.batanomaly.spi.AnomalyIdGenerator.random().newId(f), a.tenant(),
            a.type(), a.subject(), a.service(), a.identifier(), a.policyModule(),
            a.policyFunction(), a.versionId(), a.detectedAt(), a.lastSeenAt(), a.occurrences(),
            a.status(), a.severity(), a.summary(), a.metrics(), a.recommendedActions(),
            a.history());
      }
    }
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

  /** @return whether the store took the last write or probe */
  public boolean storeAvailable() {
    return buffer.available();
  }

  /** @return findings waiting in the buffer for the store */
  public int findingsBuffered() {
    return buffer.size();
  }

  /** @return findings dropped because the buffer was full while the store was unavailable */
  public long findingsOverflowed() {
    return buffer.overflowed();
  }

  /** @return races lost to other engines on the same store, each retried */
  public long racesLost() {
    return racesLost.sum();
  }

  /** @return the suppression store */
  public SuppressionStore suppressions() {
    return suppressions;
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
