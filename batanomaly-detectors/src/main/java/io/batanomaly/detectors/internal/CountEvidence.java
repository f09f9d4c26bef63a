package io.batanomaly.detectors.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The evidence of a count rule ("at least k events within W"), named after what is counted so
 * brute force says {@code firstFailureAt} and mass delete says {@code firstDeleteAt}.
 */
public final class CountEvidence {
  private CountEvidence() {}

  /**
   * Describes a tracker's state as evidence.
   *
   * @param tracker the rule's state
   * @param noun what is counted, capitalised, such as {@code Failure} or {@code Delete}
   * @return metrics in display order: {@code <noun>Count} (events in the current episode),
   *     {@code threshold}, {@code windowSeconds}, {@code first<noun>At} and
   *     {@code last<noun>At} (the k latest events), {@code spanSeconds} (between them),
   *     {@code windowStart}, {@code windowEnd} and {@code excess}
   */
  public static Map<String, Object> of(ThresholdTracker tracker, String noun) {
    String lower = Character.toLowerCase(noun.charAt(0)) + noun.substring(1);
    long newest = tracker.newest();
    long oldest = tracker.oldest();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(lower + "Count", Math.max(tracker.episodeCount(), tracker.countWithin(
        newest - tracker.windowMillis(), newest)));
    m.put("threshold", tracker.threshold());
    m.put("windowSeconds", tracker.windowMillis() / 1000);
    if (oldest != Long.MIN_VALUE) {
      m.put("first" + noun + "At", Formats.instant(oldest));
      m.put("spanSeconds", Formats.round((newest - oldest) / 1000.0, 3));
    }
    if (newest != Long.MIN_VALUE) {
      m.put("last" + noun + "At", Formats.instant(newest));
      m.put("windowStart", Formats.instant(newest - tracker.windowMillis()));
      m.put("windowEnd", Formats.instant(newest));
    }
    m.put("excess", Formats.round(tracker.excess(), 2));
    return m;
  }
}
