package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.Origin;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.Reevaluation;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs verification jobs: the anomaly's detector re-evaluates it against its live window state
 * and the anomaly becomes RESOLVED (condition over) or OPEN (still holds).
 *
 * <p>Nothing stays VERIFYING: a job that throws, a type no running detector reports, or an
 * executor that refuses the job sets OPEN at once with the reason in the history; a job still
 * running when the timeout has passed by the engine clock is abandoned at the next tick, setting
 * OPEN with "timed out". A job that finishes after it was abandoned changes nothing: each job
 * carries its own attempt object (compared by identity, so a new verification started in the
 * same millisecond is not mistaken for the old one), and only the attempt still pending may
 * finish.
 */
public final class Verifier {

  private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);

  /** One verification run; identity matters, so this is deliberately not a record. */
  private static final class Attempt {
    final String tenant;
    final String id;
    final long startedAt;

    Attempt(String tenant, String id, long startedAt) {
      this.tenant = tenant;
      this.id = id;
      this.startedAt = startedAt;
    }
  }

  private final AnomalyLifecycle lifecycle;
  private final Map<String, Detector> detectorsByType;
  private final Executor executor;
  private final InstantSource clock;
  private final long timeoutMillis;
  private final ConcurrentHashMap<String, Attempt> pending = new ConcurrentHashMap<>();
  private final LongAdder resolved = new LongAdder();
  private final LongAdder reopened = new LongAdder();
  private final LongAdder failed = new LongAdder();

  /**
   * Creates a verifier.
   *
   * @param lifecycle the gate that changes statuses
   * @param detectorsByType the running detector of each type
   * @param executor runs the jobs
   * @param clock the engine clock
   * @param timeoutMillis how long a job may run
   */
  public Verifier(AnomalyLifecycle lifecycle, Map<String, Detector> detectorsByType,
      Executor executor, InstantSource clock, long timeoutMillis) {
    this.lifecycle = lifecycle;
    this.detectorsByType = Map.copyOf(detectorsByType);
    this.executor = executor;
    this.clock = clock;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Sets VERIFYING and schedules the job.
   *
   * @param tenant the tenant
   * @param id the anomaly id
   */
  public void start(String tenant, String id) {
    Anomaly verifying = lifecycle.transition(tenant, id, AnomalyStatus.VERIFYING,
        Origin.VERIFICATION, "verification started", Map.of(), null);
    Attempt attempt = new Attempt(tenant, id, clock.millis());
    pending.put(id, attempt);
    try {
      executor.execute(() -> run(attempt, verifying));
    } catch (RejectedExecutionException e) {
      finish(attempt, AnomalyStatus.OPEN,
          "verification could not be scheduled: the executor rejected the job ("
              + e.getMessage() + ")", Map.of(), true);
    } catch (RuntimeException e) {
      finish(attempt, AnomalyStatus.OPEN, "verification could not be scheduled: "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), Map.of(), true);
    }
  }

  private void run(Attempt attempt, Anomaly anomaly) {
    if (pending.get(attempt.id) != attempt) {
      return; // abandoned (timed out) before it could start
    }
    Detector detector = detectorsByType.get(anomaly.type());
    if (detector == null) {
      finish(attempt, AnomalyStatus.OPEN, "verification failed: no running detector reports "
          + anomaly.type(), Map.of(), true);
      return;
    }
    try {
      Reevaluation r = Objects.requireNonNull(detector.reevaluate(anomaly, clock.millis()),
          "the detector's re-evaluation returned null");
      finish(attempt, r.stillHolds() ? AnomalyStatus.OPEN : AnomalyStatus.RESOLVED,
          (r.stillHolds() ? "verification: condition still holds: " : "verification: condition"
              + " cleared: ") + r.note(), r.metrics(), false);
    } catch (RuntimeException | Error e) {
      Map<String, Object> why = new LinkedHashMap<>();
      why.put("error", e.getClass().getName());
      finish(attempt, AnomalyStatus.OPEN,
          "verification failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), why,
          true);
    }
  }

  private void finish(Attempt attempt, AnomalyStatus to, String note, Map<String, Object> metrics,
      boolean failure) {
    if (!pending.remove(attempt.id, attempt)) {
      return;
    }
    if (failure) {
      failed.increment();
    } else if (to == AnomalyStatus.RESOLVED) {
      resolved.increment();
    } else {
      reopened.increment();
    }
    try {
      lifecycle.transition(attempt.tenant, attempt.id, to, Origin.VERIFICATION, note, metrics,
          current -> current.status() == AnomalyStatus.VERIFYING);
    } catch (AnomalyNotFoundException gone) {
      // removed by retention or the per-tenant bound meanwhile: nothing left to update
    } catch (RuntimeException e) {
      LOG.warn("Could not record the end of the verification of anomaly '{}' ({})", attempt.id,
          note, e);
    }
  }

  /**
   * Abandons jobs that have run past the timeout, setting their anomalies OPEN.
   *
   * @param nowMillis the engine clock
   */
  public void expire(long nowMillis) {
    for (Attempt a : pending.values()) {
      if (nowMillis - a.startedAt >= timeoutMillis) {
        finish(a, AnomalyStatus.OPEN,
            "verification timed out after " + timeoutMillis + " ms", Map.of(), true);
      }
    }
  }

  /** @return jobs in progress */
  public int pending() {
    return pending.size();
  }

  /** @return verifications that ended RESOLVED */
  public long resolved() {
    return resolved.sum();
  }

  /** @return verifications that ended OPEN because the condition still held */
  public long reopened() {
    return reopened.sum();
  }

  /** @return verifications that failed, timed out or could not run */
  public long failed() {
    return failed.sum();
  }
}
