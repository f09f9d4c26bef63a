package io.batanomaly.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records with every field set, as the spec's examples show them. */
public final class Samples {
  private Samples() {}

  /** The spec's detection time, with milliseconds the JSON form drops. */
  public static final Instant DETECTED = Instant.parse("2024-01-15T10:30:00.123Z");

  /** @return the spec's metrics, with instants for the window bounds */
  public static Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("failureRate", 0.34);
    m.put("baselineFailureRate", 0.02);
    m.put("sampleSize", 1200);
    m.put("windowStart", Instant.parse("2024-01-15T09:00:00Z"));
    m.put("windowEnd", Instant.parse("2024-01-15T10:30:00.999Z"));
    return m;
  }

  /** @return an anomaly with every field set */
  public static Anomaly anomaly() {
    HistoryEntry opened =
        new HistoryEntry(null, AnomalyStatus.OPEN, DETECTED, "opened", Origin.DETECTOR, Map.of());
    HistoryEntry verifying = new HistoryEntry(AnomalyStatus.OPEN, AnomalyStatus.VERIFYING,
        DETECTED.plusSeconds(60), "verification started", Origin.VERIFICATION,
        Map.of("at", DETECTED.plusSeconds(60)));
    return new Anomaly("anom-xyz789", "acme-corp", "HIGH_FAILURE_RATE", "pricing/discount@v3",
        "pricing-api", "svc-checkout", "pricing", "discount", "v3", DETECTED,
        DETECTED.plusSeconds(30), 3, AnomalyStatus.VERIFYING, Severity.HIGH,
        "Failure rate of pricing/discount@v3 is 34% (baseline 2%)", metrics(),
        List.of("Roll back to the previous stable version", "Inspect evaluation errors for pattern"),
        List.of(opened, verifying));
  }
}
