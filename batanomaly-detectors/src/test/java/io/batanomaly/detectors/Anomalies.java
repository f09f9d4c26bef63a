package io.batanomaly.detectors;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.HistoryEntry;
import java.util.List;

/** Reads every anomaly of a tenant, in detail. */
public final class Anomalies {
  private Anomalies() {}

  /**
   * @param engine the engine
   * @param tenant the tenant
   * @param type the anomaly type
   * @return the tenant's anomalies of that type
   */
  public static List<Anomaly> of(AnomalyEngine engine, String tenant, String type) {
    return engine.anomalies().list(tenant, new AnomalyQuery(null, 3650, 0, 200)).content()
        .stream().map(s -> engine.anomalies().get(tenant, s.id()))
        .filter(a -> a.type().equals(type)).toList();
  }

  /**
   * Verifies an anomaly (the test engines verify on the calling thread) and reads it back.
   *
   * @param engine the engine
   * @param anomaly the anomaly
   * @return the anomaly as it stands after the verification
   */
  public static Anomaly verify(AnomalyEngine engine, Anomaly anomaly) {
    engine.anomalies().verify(anomaly.tenant(), anomaly.id());
    return engine.anomalies().get(anomaly.tenant(), anomaly.id());
  }

  /**
   * @param anomaly an anomaly
   * @return its latest history entry, such as the outcome of its latest verification
   */
  public static HistoryEntry latest(Anomaly anomaly) {
    return anomaly.history().get(anomaly.history().size() - 1);
  }

  /**
   * @param anomaly an anomaly
   * @param metric the name of one of its numeric metrics
   * @return the metric's value
   */
  public static double number(Anomaly anomaly, String metric) {
    return ((Number) anomaly.metrics().get(metric)).doubleValue();
  }
}
