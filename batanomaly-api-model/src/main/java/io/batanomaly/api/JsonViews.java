package io.batanomaly.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of the records' time values, computed here so that any Jackson
 * {@code ObjectMapper} (with or without the Java time module, whatever its date settings) renders
 * the documented form: timestamps as ISO-8601 UTC strings to the second, such as
 * {@code 2024-01-15T10:30:00Z}.
 */
final class JsonViews {
  private static final DateTimeFormatter UTC_SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private JsonViews() {}

  /** Renders an instant as {@code 2024-01-15T10:30:00Z}; {@code null} stays {@code null}. */
  static String instant(Instant instant) {
    return instant == null ? null : UTC_SECONDS.format(instant);
  }

  /**
   * Returns the JSON view of an evidence map: instants become ISO-8601 UTC strings, other
   * {@code java.time} values their ISO-8601 text, nested maps and collections are converted the
   * same way, everything else is kept as is.
   */
  static Map<String, Object> metrics(Map<String, Object> metrics) {
    if (metrics.isEmpty()) {
      return metrics;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    metrics.forEach((k, v) -> view.put(k, value(v)));
    return view;
  }

  private static Object value(Object v) {
    if (v instanceof Instant i) {
      return instant(i);
    }
    if (v instanceof TemporalAccessor || v instanceof TemporalAmount) {
      return v.toString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> view = new LinkedHashMap<>();
      m.forEach((k, x) -> view.put(k, value(x)));
      return view;
    }
    if (v instanceof Collection<?> c) {
      List<Object> view = new ArrayList<>(c.size());
      c.forEach(x -> view.add(value(x)));
      return view;
    }
    return v;
  }
}
