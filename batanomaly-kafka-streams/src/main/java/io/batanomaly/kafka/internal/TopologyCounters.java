package io.batanomaly.kafka.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters summed over the tasks of one instance; bumped from every stream thread. */
public final class TopologyCounters {
  private static final Logger LOG = LoggerFactory.getLogger(TopologyCounters.class);

  private final LongAdder processed = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder notifications = new LongAdder();
  private final LongAdder activations = new LongAdder();
  private final LongAdder replayNanos = new LongAdder();
  private final java.util.concurrent.atomic.AtomicLong lastMalformedLog =
      new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

  /** Counts one malformed source record, logged at most once a minute. */
  public void malformed() {
    malformed.increment();
    long now = System.currentTimeMillis();
    long last = lastMalformedLog.get();
    if ((last == Long.MIN_VALUE || now - last >= 60_000)
        && lastMalformedLog.compareAndSet(last, now)) {
      LOG.warn("Skipped a source record that is not an audit event in the documented JSON form"
          + " ({} so far; logged at most once a minute)", malformed.sum());
    }
  }

  void processed() {
    processed.increment();
  }

  void replayed(long n, long nanos) {
    replayed.add(n);
    replayNanos.add(nanos);
  }

  void notified() {
    notifications.increment();
  }

  void activated() {
    activations.increment();
  }

  /** @return the counters by name */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("processed", processed.sum());
    m.put("replayed", replayed.sum());
    m.put("replayMillis", replayNanos.sum() / 1_000_000);
    m.put("malformed", malformed.sum());
    m.put("versionActivations", activations.sum());
    m.put("notifications", notifications.sum());
    return m;
  }
}
