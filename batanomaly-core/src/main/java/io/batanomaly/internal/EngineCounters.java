package io.batanomaly.internal;

import io.batanomaly.RejectReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Engine-wide counters, bumped by many threads (once per batch where possible). */
public final class EngineCounters {
  final LongAdder accepted = new LongAdder();
  final LongAdder batches = new LongAdder();
  final LongAdder detectorErrors = new LongAdder();
  private final LongAdder[] rejected = new LongAdder[RejectReason.values().length];

  /** Creates zeroed counters. */
  public EngineCounters() {
    for (int i = 0; i < rejected.length; i++) {
      rejected[i] = new LongAdder();
    }
  }

  void reject(RejectReason reason) {
    rejected[reason.ordinal()].increment();
  }

  /** @return events accepted */
  public long accepted() {
    return accepted.sum();
  }

  /** @return batches ingested */
  public long batches() {
    return batches.sum();
  }

  /** Counts one exception a detector threw outside ingest, caught by the engine. */
  public void detectorFailed() {
    detectorErrors.increment();
  }

  /** @return exceptions thrown by detectors, caught by the engine */
  public long detectorErrors() {
    return detectorErrors.sum();
  }

  /** @return rejected events by reason, only reasons with a non-zero count */
  public Map<RejectReason, Long> rejectedByReason() {
    Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
    for (RejectReason r : RejectReason.values()) {
      long n = rejected[r.ordinal()].sum();
      if (n > 0) {
        m.put(r, n);
      }
    }
    return m;
  }
}
