package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sink of one ingest call: forwards to the gate and remembers what the batch did. One
 * ingesting thread reuses its sink from batch to batch ({@link #result} empties it), and the
 * result of a batch that rejected nothing and found nothing is reused too while the number
 * accepted stays the same: a host's steady stream allocates nothing per batch. The pipeline
 * calls {@link #reset} after every batch, whether it finished or threw.
 */
final class BatchSink implements FindingSink {
  private final AnomalyLifecycle lifecycle;
  private List<Anomaly> opened;
  private Map<String, Anomaly> updated;
  /** The last result with nothing rejected, opened or updated; immutable, so shared. */
  private io.batanomaly.IngestResult clean;

  BatchSink(AnomalyLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public synchronized void report(Finding finding) {
    AnomalyLifecycle.Outcome outcome = lifecycle.report(finding);
    if (outcome == null) {
      return;
    }
    if (outcome.opened()) {
      if (opened == null) {
        opened = new ArrayList<>();
      }
      opened.add(outcome.anomaly());
    } else {
      if (updated == null) {
        updated = new LinkedHashMap<>();
      }
      updated.put(outcome.anomaly().id(), outcome.anomaly());
    }
  }

  /** Forgets what the batch reported, once its result is built or it failed. */
  synchronized void reset() {
    opened = null;
    updated = null;
  }

  @Override
  public void clear(String tenant, String type, String subject, String reason) {
    lifecycle.clear(tenant, type, subject, reason);
  }

  /**
   * Builds the batch's result; {@link #reset} then empties the sink for the next batch. An
   * anomaly the batch opened is listed as opened only, in its latest state, never also as
   * updated.
   */
  synchronized io.batanomaly.IngestResult result(
      int accepted, List<io.batanomaly.RejectedEvent> rejected) {
    if (opened == null && updated == null && rejected.isEmpty()) {
      io.batanomaly.IngestResult c = clean;
      if (c == null || c.accepted() != accepted) {
        c = new io.batanomaly.IngestResult(accepted, List.of(), List.of(), List.of());
        clean = c;
      }
      return c;
    }
    List<Anomaly> openedNow = opened == null ? List.of() : new ArrayList<>(opened);
    List<Anomaly> updatedNow = List.of();
    if (updated != null) {
      Map<String, Anomaly> rest = new LinkedHashMap<>(updated);
      for (int i = 0; i < openedNow.size(); i++) {
        Anomaly latest = rest.remove(openedNow.get(i).id());
        if (latest != null) {
          openedNow.set(i, latest);
        }
      }
      updatedNow = new ArrayList<>(rest.values());
    }
    return new io.batanomaly.IngestResult(accepted, rejected, openedNow, updatedNow);
  }
}
