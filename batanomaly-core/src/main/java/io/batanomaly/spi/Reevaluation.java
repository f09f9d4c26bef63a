package io.batanomaly.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A detector's verdict on whether an anomaly's condition still holds, used by verification: the
 * anomaly goes back to OPEN if it holds, and becomes RESOLVED if not.
 *
 * @param stillHolds whether the condition still holds now
 * @param note one line explaining the verdict
 * @param metrics the evidence it is based on
 */
public record Reevaluation(boolean stillHolds, String note, Map<String, Object> metrics) {

  /** Creates a verdict. */
  public Reevaluation {
    Objects.requireNonNull(note, "note");
    metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /**
   * The condition still holds.
   *
   * @param note why
   * @param metrics the evidence
   * @return the verdict
   */
  public static Reevaluation stillHolds(String note, Map<String, Object> metrics) {
    return new Reevaluation(true, note, metrics);
  }

  /**
   * The condition no longer holds.
   *
   * @param note why
   * @param metrics the evidence
   * @return the verdict
   */
  public static Reevaluation cleared(String note, Map<String, Object> metrics) {
    return new Reevaluation(false, note, metrics);
  }
}
