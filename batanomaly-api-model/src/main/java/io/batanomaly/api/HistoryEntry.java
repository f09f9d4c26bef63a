package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One status change of an anomaly. In JSON, {@code at} and instants among the {@code metrics}
 * are ISO-8601 UTC strings to the second, such as {@code 2024-01-15T10:30:00Z}.
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
    @JsonProperty("from") AnomalyStatus from,
    @JsonProperty("to") AnomalyStatus to,
    @JsonIgnore Instant at,
    @JsonProperty("note") String note,
    @JsonProperty("origin") Origin origin,
    @JsonIgnore Map<String, Object> metrics) {

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

  @JsonProperty("at")
  String atJson() {
    return JsonViews.instant(at);
  }

  @JsonProperty("metrics")
  Map<String, Object> metricsJson() {
    return JsonViews.metrics(metrics);
  }
}
