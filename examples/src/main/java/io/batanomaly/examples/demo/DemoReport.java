package io.batanomaly.examples.demo;

import io.batanomaly.EngineHealth;
import io.batanomaly.api.Anomaly;
import java.util.List;
import java.util.Set;

/**
 * What one demo run found.
 *
 * @param source what was replayed
 * @param detectors the detectors that ran, by name
 * @param types the anomaly types those detectors report
 * @param anomalies every anomaly found, of every tenant and status, in order of detection
 * @param health the engine's health snapshot at the end of the replay
 * @param stats what the replay did
 */
public record DemoReport(ReplaySource source, List<String> detectors, Set<String> types,
    List<Anomaly> anomalies,
    EngineHealth health, Replay.Stats stats) {

  /** Creates a report, copying the lists. */
  public DemoReport {
    detectors = List.copyOf(detectors);
    types = Set.copyOf(types);
    anomalies = List.copyOf(anomalies);
  }

  /**
   * Returns the injected incidents no anomaly matched.
   *
   * @return the missed incidents, empty when every one was detected
   */
  public List<Incident> missedIncidents() {
    return source.incidents().stream()
        .filter(i -> anomalies.stream().noneMatch(i::matches))
        .toList();
  }

  /**
   * Returns the anomalies that match no injected incident (for a real log: all of them).
   *
   * @return those anomalies
   */
  public List<Anomaly> unexplainedAnomalies() {
    return anomalies.stream()
        .filter(a -> source.incidents().stream().noneMatch(i -> i.matches(a)))
        .toList();
  }
}
