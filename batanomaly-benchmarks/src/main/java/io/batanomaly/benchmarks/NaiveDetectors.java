package io.batanomaly.benchmarks;

import io.batanomaly.AuditEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The five audit rules written the way a team would write them by hand without a library: one
 * {@code HashMap<String, ArrayDeque<Long>>} of event times per rule (the volume and error-rate
 * rules share the per-service window of all requests), evicted from the head as time moves on,
 * a {@code HashMap<String, Long>} of last-seen times, and a cooldown map. Same thresholds and
 * windows as the library's defaults (volume: z &gt; 3 over a 20 s current window against the
 * rest of 300 s with a Poisson deviation; error rate: &gt; 20% of at least 50 events in 300 s;
 * brute force: 10 401s per identifier in 300 s; mass delete: 50 DELETEs per service in 300 s;
 * silent service: last seen per service).
 *
 * <p>It is the baseline {@link BaselineBenchmark#naive} measures against {@link
 * IngestBenchmark}: single-threaded (not thread-safe), no validation, no lateness handling, no
 * memory bound, one tenant.
 */
public final class NaiveDetectors {
  private static final long WINDOW = 300_000;
  private static final long CURRENT = 20_000;
  private static final long COOLDOWN = 300_000;

  private final Map<String, ArrayDeque<Long>> volume = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> recentVolume = new HashMap<>();
  private final Map<String, Long> volumeSecond = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> errors = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> failures = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> deletes = new HashMap<>();
  private final Map<String, Long> lastSeen = new HashMap<>();
  private final Map<String, Long> lastAlert = new HashMap<>();
  private long alerts;

  /**
   * Observes one event.
   *
   * @param e the event
   */
  public void observe(AuditEvent e) {
    String service = e.service();
    long t = e.epochMillis();
    lastSeen.put(service, t);

    ArrayDeque<Long> v = window(volume, service, t, WINDOW);
    v.addLast(t);
    ArrayDeque<Long> recent = window(recentVolume, service, t, CURRENT);
    recent.addLast(t);
    Long second = volumeSecond.get(service);
    if (second == null || t / 1000 > second) {
      volumeSecond.put(service, t / 1000);
      checkVolume(service, v.size(), recent.size(), t);
    }

    // the volume window doubles as the error rate's count of requests
    ArrayDeque<Long> all = v;
    ArrayDeque<Long> err = window(errors, service, t);
    if (e.status() >= 400) {
      err.addLast(t);
    }
    if (all.size() >= 50 && err.size() * 100.0 / all.size() > 20.0) {
      alert("error_rate:" + service, t);
    }

    if (e.status() == 401 && e.identifier() != null) {
      ArrayDeque<Long> f = window(failures, e.identifier(), t);
      f.addLast(t);
      if (f.size() >= 10) {
        alert("brute_force:" + e.identifier(), t);
      }
    }

    if (e.isDelete()) {
      ArrayDeque<Long> d = window(deletes, service, t);
      d.addLast(t);
      if (d.size() >= 50) {
        alert("mass_delete:" + service, t);
      }
    }
  }

  private void checkVolume(String service, long all, long recent, long t) {
    double baselinePerMs = (double) (all - recent) / (WINDOW - CURRENT);
    double expected = baselinePerMs * CURRENT;
    if (expected > 0 && (recent - expected) / Math.sqrt(expected) > 3.0
        && recent >= 2.2 * expected && recent - expected >= 25) {
      alert("volume_spike:" + service, t);
    }
  }

  private static ArrayDeque<Long> window(Map<String, ArrayDeque<Long>> map, String key, long t) {
    return window(map, key, t, WINDOW);
  }

  private static ArrayDeque<Long> window(
      Map<String, ArrayDeque<Long>> map, String key, long t, long span) {
    ArrayDeque<Long> q = map.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!q.isEmpty() && q.peekFirst() < t - span) {
      q.pollFirst();
    }
    return q;
  }

  private void alert(String key, long t) {
    Long last = lastAlert.get(key);
    if (last == null || t - last > COOLDOWN) {
      lastAlert.put(key, t);
      alerts++;
    }
  }

  /** @return alerts raised so far */
  public long alerts() {
    return alerts;
  }

  /** @return services seen, for the silent-service rule a tick would check */
  public int servicesSeen() {
    return lastSeen.size();
  }
}
