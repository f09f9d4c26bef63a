package io.batanomaly.detectors;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
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
   * @param anomaly an anomaly
   * @param metric the name of one of its numeric metrics
   * @return the metric's value
   */
  public static double number(Anomaly anomaly, String metric) {
    return ((Number) anomaly.metrics().get(metric)).doubleValue();
  }
}
