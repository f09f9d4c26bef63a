package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One status change of an anomaly.
 *
 * @param from the status before the change, or {@code null} for the entry that opened the anomaly
 * @param to the status after the change
 * @param at when the change happened, by the engine's clock
 * @param note the free-text note given with the change, or {@code null}
 * @param origin who made the change
 * @param metrics evidence recorded with the change (a verification's re-evaluation), possibly empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"from", "to", "at", "origin", "note", "metrics"})
public record HistoryEntry(
    AnomalyStatus from,
    AnomalyStatus to,
    @JsonFormat(shape = JsonFormat.Shape.STRING, timezone = "UTC") Instant at,
    String note,
    Origin origin,
    Map<String, Object> metrics) {

  /**
   * Creates an entry.
   *
   * @throws NullPointerException if {@code to}, {@code at} or {@code origin} is null
   */
  public HistoryEntry {
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(origin, "origin");
    metrics = Metrics.copyOf(metrics);
  }
}
