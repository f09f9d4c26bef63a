package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.RejectReason;
import io.batanomaly.RejectedEvent;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.FindingSink;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest hot path: validate each event, resolve its tenant and service once, and hand the
 * accepted events to every detector.
 *
 * <p>Both ways in ({@link #ingest(Collection)} for {@link AuditEvent}s, {@link #ingest(Rows)}
 * for a columnar {@link io.batanomaly.EventBatch}) run the same code over {@link Rows}, so they
 * accept, reject and detect alike. A batch is processed in two passes:
 *
 * <ol>
 *   <li>validation: each row is checked, its tenant and service resolved, its lateness judged;
 *       an accepted row is staged (its scope, time, status and DELETE flag copied into this
 *       thread's {@link StagedEvents}), the engine's own alert events are counted only;
 *   <li>detection: each detector gets the staged events in one call
 *       ({@link Detector#observe(AcceptedEvents, FindingSink)}), so the per-event calls inside
 *       it are monomorphic and inlined rather than one megamorphic call per event and
 *       detector. A detector that only implements the per-event method is called per event,
 *       as before.
 * </ol>
 *
 * <p>Per event this takes no lock and allocates nothing once the tenant and service are known:
 * the tenant and service of the previous event are reused when the next one names the same
 * ones (the common case in a host's batch), a batch that mixes services finds each one after
 * the first in a small per-thread cache cleared with the batch, the watermark is published once
 * per tenant run of the batch (or sooner if it moves by more than half the allowed lateness),
 * and the tenant's and the service's processing-time "last seen" are each written at most once
 * per batch. Rejections allocate their message; findings go to the gate. The engine's own
 * {@code system.alert} events, fed back by a host, are validated and counted as accepted but
 * touch no tenant, service, watermark or detector.
 *
 * <p>A detector that throws (an exception or an {@link Error}) is caught, counted and logged at
 * most once a minute, and the other detectors still see every event: a per-event detector misses only the event it threw on, a
 * batch detector the rest of that batch.
 */
public final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  private final ScopeRegistry scopes;
  private final Detector[] detectors;
  /** Whether each detector implements the batch method; the others are called per event. */
  private final boolean[] batchAware;
  private final EventValidator validator;
  private final AnomalyLifecycle lifecycle;
  private final EngineCounters counters;
  private final InstantSource clock;
  private final long lateness;
  /** When a detector failure was last logged; claimed by CAS so one thread logs per minute. */
  private final AtomicLong lastErrorLog = new AtomicLong(Long.MIN_VALUE);

  /** Initial slots of the per-batch table of resolved services; a power of two. */
  private static final int RECENT_SERVICES = 256;

  /**
   * What one ingesting thread reuses from batch to batch: the staged events, the copy of an
   * {@link AuditEvent} batch's references, and the table of the
   * services resolved in the current batch. The table is open-addressed by the name's hash, so
   * a batch mixing many services resolves each one through the registry's map once, and gives
   * each distinct service of the batch its dense index ({@link AcceptedEvents#serviceIndex}).
   * A probe reads one {@code long} per slot (hash and index) and only on a matching hash the
   * slot's name, compared by reference first. It doubles when more than half full. All
   * of it is cleared at the end of every batch and retains nothing between batches. A nested
   * ingest on the same thread (a detector or listener ingesting) gets a fresh one.
   */
  private static final class Staging {
    final StagedEvents staged = new StagedEvents();
    final BatchSink sink;
    final EventListRows eventRows = new EventListRows();
    /**
     * The table's slots: a resolved service's spread hash in the high half and its index plus
     * one in the low half, 0 for an empty slot; one read tells whether a slot can hold the name
     * looked for, and gives its index.
     */
    long[] entries = new long[RECENT_SERVICES];
    /**
     * The name of each slot's service as the batch gave it, so later rows sharing that String
     * match it by reference.
     */
    String[] names = new String[RECENT_SERVICES];
    /** The slot of each distinct service, by index, to clear the table. */
    int[] slotOf = new int[RECENT_SERVICES / 2];
    int distinct;
    /** Events accepted by the batch's validation pass. */
    int accepted;
    boolean busy;

    Staging(AnomalyLifecycle lifecycle) {
      this.sink = new BatchSink(lifecycle);
    }

    /**
     * Finds a service resolved earlier in the batch: its index, or {@code -1 - slot} of the
     * empty slot to fill.
     */
    int find(TenantState tenant, String name) {
      long[] table = entries;
      int mask = table.length - 1;
      int h = spread(name.hashCode());
      int slot = h & mask;
      long entry;
      // identity first: hosts usually share one String per service; an equal but distinct
      // String has the same hash, so it is found by equals on the same probe chain, and a
      // different name on the chain is passed over by its hash without reading it
      while ((entry = table[slot]) != 0) {
        if ((int) (entry >>> 32) == h) {
          String key = names[slot];
          int index = (int) entry - 1;
          if ((key == name || key.equals(name)) && staged.tenantOf(index) == tenant) {
            return index;
          }
        }
        slot = (slot + 1) & mask;
      }
      return -1 - slot;
    }

    /**
     * Spreads a name's hash over the table: names such as {@code svc-001}, {@code svc-002}
     * have consecutive hashes, which would fill runs of adjacent slots.
     */
    private static int spread(int h) {
      int x = h * 0x9E3779B9;
      return x ^ (x >>> 16);
    }

    /**
     * Puts a newly resolved service into an empty slot; returns its index. The table is kept
     * at most half full, so probes stay short and {@code slotOf} (half the table's length)
     * has room for every index.
     */
    int put(int slot, String name, ServiceState service) {
      int index = distinct;
      entries[slot] = (long) spread(name.hashCode()) << 32 | (index + 1);
      names[slot] = name;
      slotOf[index] = slot;
      staged.service(index, service);
      distinct = index + 1;
      if (distinct * 2 >= entries.length) {
        grow();
      }
      return index;
    }

    private void grow() {
      long[] oldEntries = entries;
      String[] oldNames = names;
      int length = oldEntries.length * 2;
      entries = new long[length];
      names = new String[length];
      slotOf = new int[oldEntries.length];
      int mask = length - 1;
      for (int i = 0; i < oldEntries.length; i++) {
        long entry = oldEntries[i];
        if (entry != 0) {
          int slot = (int) (entry >>> 32) & mask;
          while (entries[slot] != 0) {
            slot = (slot + 1) & mask;
          }
          entries[slot] = entry;
          names[slot] = oldNames[i];
          slotOf[(int) entry - 1] = slot;
        }
      }
    }

    /** Empties the table. */
    void clearServices() {
      for (int i = 0; i < distinct; i++) {
        int slot = slotOf[i];
        entries[slot] = 0;
        names[slot] = null;
      }
      distinct = 0;
    }
  }

  private final ThreadLocal<Staging> staging;

  /**
   * Creates the pipeline.
   *
   * @param scopes tenants and services
   * @param detectors the enabled detectors
   * @param validator event content checks
   * @param lifecycle the finding-to-anomaly gate
   * @param counters engine counters
   * @param clock the engine clock
   * @param latenessMillis allowed lateness
   */
  public IngestPipeline(ScopeRegistry scopes, List<Detector> detectors, EventValidator validator,
      AnomalyLifecycle lifecycle, EngineCounters counters, InstantSource clock,
      long latenessMillis) {
    this.scopes = scopes;
    this.detectors = detectors.toArray(new Detector[0]);
    this.batchAware = new boolean[this.detectors.length];
    for (int i = 0; i < this.detectors.length; i++) {
      batchAware[i] = implementsBatchObserve(this.detectors[i]);
    }
    this.validator = validator;
    this.lifecycle = lifecycle;
    this.counters = counters;
    this.clock = clock;
    this.lateness = latenessMillis;
    this.staging = ThreadLocal.withInitial(() -> new Staging(lifecycle));
  }

  private static boolean implementsBatchObserve(Detector d) {
    try {
      return d.getClass().getMethod("observe", AcceptedEvents.class, FindingSink.class)
          .getDeclaringClass() != Detector.class;
    } catch (NoSuchMethodException impossible) {
      return false;
    }
  }

  private Staging claimStaging() {
    Staging s = staging.get();
    if (s.busy) {
      return new Staging(lifecycle);
    }
    s.busy = true;
    return s;
  }

  /**
   * Ingests a batch of events.
   *
   * @param batch the events; {@code null} elements are rejected
   * @return what happened
   */
  public IngestResult ingest(Collection<AuditEvent> batch) {
    Staging s = claimStaging();
    try {
      s.eventRows.load(batch);
      return ingest(s.eventRows, s);
    } finally {
      s.eventRows.release();
      s.busy = false;
    }
  }

  /**
   * Ingests a batch of rows, such as an {@link io.batanomaly.EventBatch}'s.
   *
   * @param rows the rows
   * @return what happened
   */
  public IngestResult ingest(Rows rows) {
    Staging s = claimStaging();
    try {
      return ingest(rows, s);
    } finally {
      s.busy = false;
    }
  }

  private IngestResult ingest(Rows rows, Staging s) {
    long now = clock.millis();
    BatchSink sink = s.sink;
    StagedEvents staged = s.staged;
    staged.begin(rows);
    try {
      List<RejectedEvent> rejected = validateAndStage(rows, now, s);
      detect(staged, now, sink);
      return sink.result(s.accepted, rejected == null ? List.of() : rejected);
    } finally {
      sink.reset();
      staged.release();
      s.clearServices();
    }
  }

  /**
   * The validation pass: stages the accepted events, sets {@code s.accepted}.
   *
   * <p>Most rows take the short way: a row naming, by reference, the tenant String of the last
   * resolved tenant and a service already resolved in this batch needs neither blank check nor
   * any look-up beyond the batch's table (both names were checked when first seen), only its
   * values' checks and its lateness. Any other row takes the full way, with every check in the
   * documented order, and makes its tenant and service the ones the short way knows.
   *
   * @return the rejections, or {@code null} if there are none
   */
  private List<RejectedEvent> validateAndStage(Rows rows, long now, Staging s) {
    StagedEvents staged = s.staged;
    List<RejectedEvent> rejected = null;
    int accepted = 0;
    TenantState tenant = null;
    // the tenant String that resolved to tenant, by reference
    String tenantName = null;
    long watermark = Long.MIN_VALUE;
    long localMax = Long.MIN_VALUE;
    long publishStep = Math.max(1, lateness / 2);
    // The watermark never moves past the engine clock: an event from a producer whose clock runs
    // ahead (within ANOMALY_MAX_FUTURE_SKEW) is accepted, but must not make every other producer
    // of the tenant late until real time catches up.
    for (int index = 0, n = rows.size(); index < n; index++) {
      RejectReason reason;
      int serviceIndex = -1;
      if (tenantName != null && !rows.isNull(index) && rows.tenant(index) == tenantName) {
        String name = rows.service(index);
        if (name != null) {
          serviceIndex = s.find(tenant, name);
        }
      }
      long t;
      if (serviceIndex >= 0) {
        // the short way
        t = rows.epochMillis(index);
        reason = validator.checkValues(t, rows.status(index), rows.executionTimeNanos(index),
            rows.longestFieldLength(index), now);
        if (reason == null && rows.isAlert(index)) {
          accepted++;
          continue;
        }
        if (reason == null && isLate(t, watermark)) {
          reason = RejectReason.LATE;
        }
      } else {
        reason = validator.check(rows, index,
            rows.isNull(index) ? 0 : rows.longestFieldLength(index), now);
        if (reason == null && rows.isAlert(index)) {
          // the engine's own alerts, fed back by a host that logs them: counted, never judged,
          // and stamped with the engine clock, so they move no watermark, create no tenant or
          // service and are not the service being heard
          accepted++;
          continue;
        }
        if (reason == null) {
          String name = rows.tenant(index);
          if (tenant == null || (name != tenantName && !tenant.tenant.equals(name))) {
            if (tenant != null) {
              tenant.advance(Math.min(localMax, now));
            }
            tenant = scopes.tenant(name, now);
            tenantName = null;
            if (tenant == null) {
              reason = RejectReason.TENANT_LIMIT;
            } else {
              watermark = tenant.maxEventTime();
              localMax = watermark;
            }
          }
          if (tenant != null) {
            tenantName = name;
          }
        }
        t = reason == null ? rows.epochMillis(index) : 0;
        if (reason == null && isLate(t, watermark)) {
          reason = RejectReason.LATE;
        }
        if (reason == null) {
          String name = rows.service(index);
          int found = s.find(tenant, name);
          if (found >= 0) {
            serviceIndex = found;
          } else {
            ServiceState service = scopes.service(tenant, name, now);
            if (service == null) {
              reason = RejectReason.SERVICE_LIMIT;
            } else {
              // resolved (and touched: the processing-time "last seen" is the batch's clock)
              // once per service and batch
              serviceIndex = s.put(-1 - found, name, service);
            }
          }
        }
      }
      if (reason != null) {
        counters.reject(reason);
        if (rejected == null) {
          rejected = new ArrayList<>();
        }
        rejected.add(new RejectedEvent(index, reason,
            validator.describe(reason, rows.event(index), now, lateness, watermark)));
        continue;
      }
      if (t > localMax) {
        localMax = t;
        if (watermark == Long.MIN_VALUE || localMax - watermark > publishStep) {
          tenant.advance(Math.min(localMax, now));
          watermark = tenant.maxEventTime();
        }
      }
      accepted++;
      staged.add(index, serviceIndex, t, rows.status(index), rows.isDelete(index));
    }
    if (tenant != null) {
      tenant.advance(Math.min(localMax, now));
    }
    counters.accepted.add(accepted);
    counters.batches.increment();
    s.accepted = accepted;
    return rejected;
  }

  /** Whether an event at {@code t} is more than the allowed lateness behind the watermark. */
  private boolean isLate(long t, long watermark) {
    return watermark != Long.MIN_VALUE && t < watermark && watermark - t > lateness;
  }

  private void detect(StagedEvents staged, long now, BatchSink sink) {
    Detector[] ds = detectors;
    int n = staged.size();
    if (n == 0) {
      return;
    }
    for (int d = 0; d < ds.length; d++) {
      Detector detector = ds[d];
      if (batchAware[d]) {
        try {
          detector.observe(staged, sink);
        } catch (RuntimeException | Error failure) {
          detectorFailed(detector, failure, now);
        }
      } else {
        for (int i = 0; i < n; i++) {
          try {
            detector.observe(staged.event(i), staged.scope(i), sink);
          } catch (RuntimeException | Error failure) {
            detectorFailed(detector, failure, now);
          }
        }
      }
    }
  }

  /**
   * Runs every detector's time-driven checks.
   *
   * @param now the engine clock
   * @param sink where findings go
   */
  public void tick(long now, FindingSink sink) {
    for (Detector d : detectors) {
      try {
        d.tick(now, sink);
      } catch (RuntimeException | Error failure) {
        detectorFailed(d, failure, now);
      }
    }
  }

  /**
   * Counts and logs (at most once a minute) a detector's failure. An {@link Error} such as an
   * {@code AssertionError} or a {@code LinkageError} from a detector is a detector bug like an
   * exception and is isolated the same way; only {@link VirtualMachineError}s other than a
   * stack overflow (the JVM itself is failing, say out of memory) are rethrown.
   */
  private void detectorFailed(Detector d, Throwable failure, long now) {
    if (failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError)) {
      throw (VirtualMachineError) failure;
    }
    counters.detectorErrors.increment();
    long last = lastErrorLog.get();
    if ((last == Long.MIN_VALUE || now - last >= 60_000)
        && lastErrorLog.compareAndSet(last, now)) {
      LOG.warn("Detector {} failed; the event is still accepted and other detectors ran"
          + " (further failures are counted and logged at most once a minute)",
          d.getClass().getName(), failure);
    }
  }
}
