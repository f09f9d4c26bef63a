package io.batanomaly;

import io.batanomaly.api.Anomaly;
import java.util.List;

/**
 * What one call to {@link AnomalyEngine#ingest} did.
 *
 * @param accepted how many events were accepted and observed by the detectors
 * @param rejected the events rejected, each with its index in the batch and the reason
 * @param opened anomalies this batch opened
 * @param updated active anomalies this batch's findings updated (each listed once)
 */
public record IngestResult(
    int accepted, List<RejectedEvent> rejected, List<Anomaly> opened, List<Anomaly> updated) {

  /** Creates a result, copying the lists. */
  public IngestResult {
    rejected = List.copyOf(rejected);
    opened = List.copyOf(opened);
    updated = List.copyOf(updated);
  }

  /** @return the batch size: accepted plus rejected */
  public int total() {
    return accepted + rejected.size();
  }
}
