package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.RejectReason;
import io.batanomaly.RejectedEvent;
import io.batanomaly.spi.Detector;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest hot path: validate each event, resolve its tenant and service once, and hand it to
 * every detector.
 *
 * <p>Per event this takes no lock and allocates nothing once the tenant and service are known:
 * the tenant and service of the previous event are reused when the next one names the same
 * ones (the common case in a host's batch), a batch that mixes services finds each one after
 * the first in a small per-thread cache cleared with the batch, the watermark is published once
 * per tenant run of the batch (or sooner if it moves by more than half the allowed lateness),
 * and the tenant's and the service's processing-time "last seen" are each written at most once
 * per batch. Rejections allocate their message; findings go to the gate. A detector that throws
 * (an exception or an {@link Error}) is caught, counted and logged at most once a minute, and the other detectors still see the
 * event. The engine's own {@code system.alert} events, fed back by a host, are validated and
 * counted as accepted but touch no tenant, service, watermark or detector.
 */
public final class IngestPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  private final ScopeRegistry scopes;
  private final Detector[] detectors;
  private final EventValidator validator;
  private final AnomalyLifecycle lifecycle;
  private final EngineCounters counters;
  private final InstantSource clock;
  private final long lateness;
  /** When a detector failure was last logged; claimed by CAS so one thread logs per minute. */
  private final AtomicLong lastErrorLog = new AtomicLong(Long.MIN_VALUE);

  /** Slots of the per-batch cache of resolved services; a power of two. */
  private static final int RECENT_SERVICES = 256;

  /**
   * Each ingesting thread's cache of the services resolved in its current batch, indexed by the
   * name's hash and matched by identity (hosts share one String per service name), so a batch
   * mixing many services resolves each one through the registry's map once. Cleared at the end
   * of every batch: it never outlives the batch, just as the previous event's service held in
   * a local variable does not, and retains nothing between batches.
   */
  private final ThreadLocal<ServiceState[]> recentServices =
      ThreadLocal.withInitial(() -> new ServiceState[RECENT_SERVICES]);

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
    this.validator = validator;
    this.lifecycle = lifecycle;
    this.counters = counters;
    this.clock = clock;
    this.lateness = latenessMillis;
  }

  /**
   * Ingests a batch.
   *
   * @param batch the events; {@code null} elements are rejected
   * @return what happened
   */
  public IngestResult ingest(Collection<AuditEvent> batch) {
    long now = clock.millis();
    BatchSink sink = new BatchSink(lifecycle);
    Detector[] ds = detectors;
    ServiceState[] recent = recentServices.get();
    try {
      return ingest(batch, now, sink, ds, recent);
    } finally {
      Arrays.fill(recent, null);
    }
  }

  private IngestResult ingest(Collection<AuditEvent> batch, long now, BatchSink sink,
      Detector[] ds, ServiceState[] recent) {
    List<RejectedEvent> rejected = null;
    int accepted = 0;
    int index = -1;
    TenantState tenant = null;
    ServiceState service = null;
    long watermark = Long.MIN_VALUE;
    long localMax = Long.MIN_VALUE;
    long publishStep = Math.max(1, lateness / 2);
    // The watermark never moves past the engine clock: an event from a producer whose clock runs
    // ahead (within ANOMALY_MAX_FUTURE_SKEW) is accepted, but must not make every other producer
    // of the tenant late until real time catches up.
    for (AuditEvent e : batch) {
      index++;
      RejectReason reason = validator.check(e, now);
      if (reason == null && e.isAlert()) {
        // the engine's own alerts, fed back by a host that logs them: counted, never judged,
        // and stamped with the engine clock, so they move no watermark, create no tenant or
        // service and are not the service being heard
        accepted++;
        continue;
      }
      if (reason == null) {
        if (tenant == null || !tenant.tenant.equals(e.tenant())) {
          if (tenant != null) {
            tenant.advance(Math.min(localMax, now));
          }
          tenant = scopes.tenant(e.tenant(), now);
          service = null;
          if (tenant == null) {
            reason = RejectReason.TENANT_LIMIT;
          } else {
            watermark = tenant.maxEventTime();
            localMax = watermark;
          }
        }
      }
      long t = reason == null ? e.epochMillis() : 0;
      if (reason == null && watermark != Long.MIN_VALUE && t < watermark
          && watermark - t > lateness) {
        reason = RejectReason.LATE;
      }
      // identity first: hosts usually share one String per service; an equal but distinct
      // String falls through to the map lookup, which compares by equals
      if (reason == null && (service == null || service.service != e.service())) {
        String name = e.service();
        int slot = name.hashCode() & (RECENT_SERVICES - 1);
        ServiceState cached = recent[slot];
        if (cached != null && cached.service == name && cached.tenant == tenant) {
          service = cached;
        } else {
          service = scopes.service(tenant, name, now);
          if (service == null) {
            reason = RejectReason.SERVICE_LIMIT;
          } else {
            // resolved (and touched: the processing-time "last seen" is the batch's clock) once
            // per service and batch
            recent[slot] = service;
          }
        }
      }
      if (reason != null) {
        counters.reject(reason);
        if (rejected == null) {
          rejected = new ArrayList<>();
        }
        rejected.add(new RejectedEvent(index, reason,
            validator.describe(reason, e, now, lateness, watermark)));
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
      for (Detector d : ds) {
        try {
          d.observe(e, service, sink);
        } catch (RuntimeException | Error failure) {
          detectorFailed(d, failure, now);
        }
      }
    }
    if (tenant != null) {
      tenant.advance(Math.min(localMax, now));
    }
    counters.accepted.add(accepted);
    counters.batches.increment();
    return sink.result(accepted, rejected == null ? List.of() : rejected);
  }

  /**
   * Runs every detector's time-driven checks.
   *
   * @param now the engine clock
   * @param sink where findings go
   */
  public void tick(long now, io.batanomaly.spi.FindingSink sink) {
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
