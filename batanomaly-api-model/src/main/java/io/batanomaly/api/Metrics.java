package io.batanomaly.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies evidence maps so records stay immutable and keep the order a detector chose. */
final class Metrics {
  private Metrics() {}

  static Map<String, Object> copyOf(Map<String, Object> metrics) {
    if (metrics == null || metrics.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }
}
