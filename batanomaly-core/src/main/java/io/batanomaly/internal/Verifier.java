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
    final JobKey key;
    final long startedAt;

    Attempt(String tenant, String id, long startedAt) {
      this.tenant = tenant;
      this.id = id;
      this.key = new JobKey(tenant, id);
      this.startedAt = startedAt;
    }
  }

  /** Anomaly ids are unique per tenant only: a job is keyed by both. */
  private record JobKey(String tenant, String id) {}

  /** The note of a stranded verification returned to OPEN. */
  static final String STRANDED = "verification abandoned: no job is running for it (the engine"
      + " that started it stopped)";

  private final AnomalyLifecycle lifecycle;
  private final Map<String, Detector> detectorsByType;
  private final Executor executor;
  private final InstantSource clock;
  private final long timeoutMillis;
  private final ConcurrentHashMap<JobKey, Attempt> pending = new ConcurrentHashMap<>();
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
    pending.put(attempt.key, attempt);
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
    if (pending.get(attempt.key) != attempt) {
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
    if (!pending.remove(attempt.key, attempt)) {
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
   * Returns an anomaly left VERIFYING with no job of this engine behind it to OPEN, once the
   * timeout has passed since its verification started, recording why. That happens when the
   * engine that was verifying it stopped without closing (a crash) and the repository outlived
   * it. Any other anomaly is returned unchanged. Called whenever the triage service reads or
   * changes an anomaly, so a stranded one is repaired the first time anyone looks at it.
   *
   * @param a the anomaly as read from the repository
   * @return the anomaly, repaired if it was stranded
   */
  public Anomaly repairIfStranded(Anomaly a) {
    if (a.status() != AnomalyStatus.VERIFYING
        || pending.containsKey(new JobKey(a.tenant(), a.id()))
        || clock.millis() - verifyingSince(a) < timeoutMillis) {
      return a;
    }
    try {
      Anomaly repaired = lifecycle.transition(a.tenant(), a.id(), AnomalyStatus.OPEN,
          Origin.VERIFICATION, STRANDED, Map.of(),
          current -> current.status() == AnomalyStatus.VERIFYING
              && !pending.containsKey(new JobKey(current.tenant(), current.id())));
      if (repaired.status() == AnomalyStatus.OPEN) {
        failed.increment();
      }
      return repaired;
    } catch (AnomalyNotFoundException gone) {
      return a;
    }
  }

  private static long verifyingSince(Anomaly a) {
    for (int i = a.history().size() - 1; i >= 0; i--) {
      if (a.history().get(i).to() == AnomalyStatus.VERIFYING) {
        return a.history().get(i).at().toEpochMilli();
      }
    }
    return a.lastSeenAt().toEpochMilli();
  }

  /**
   * Abandons every job in progress, setting its anomaly OPEN with {@code reason}; a job that
   * still finishes afterwards changes nothing. Called when the engine closes, so a repository
   * that outlives the engine holds no anomaly in VERIFYING.
   *
   * @param reason the note recorded in each anomaly's history
   */
  public void abandonAll(String reason) {
    for (Attempt a : pending.values()) {
      finish(a, AnomalyStatus.OPEN, reason, Map.of(), true);
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
