package io.batanomaly.internal;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sink of one ingest call: forwards to the gate and remembers what the batch did. */
final class BatchSink implements FindingSink {
  private final AnomalyLifecycle lifecycle;
  private List<Anomaly> opened;
  private Map<String, Anomaly> updated;

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

  @Override
  public void clear(String tenant, String type, String subject, String reason) {
    lifecycle.clear(tenant, type, subject, reason);
  }

  synchronized List<Anomaly> opened() {
    return opened == null ? List.of() : opened;
  }

  synchronized List<Anomaly> updated() {
    if (updated == null) {
      return List.of();
    }
    if (opened != null) {
      // an anomaly opened by this batch is reported as opened only, in its latest state
      for (int i = 0; i < opened.size(); i++) {
        Anomaly latest = updated.remove(opened.get(i).id());
        if (latest != null) {
          opened.set(i, latest);
        }
      }
    }
    return new ArrayList<>(updated.values());
  }
}
