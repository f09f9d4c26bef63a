package io.batanomaly.detectors;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.HistoryEntry;
import java.util.ArrayList;
import java.util.List;

/** Reads the anomalies of a tenant, in detail, and verifies them. */
public final class Anomalies {
  private Anomalies() {}

  /**
   * @param engine the engine
   * @param tenant the tenant
   * @param type the anomaly type
   * @return the tenant's anomalies of that type
   */
  public static List<Anomaly> of(AnomalyEngine engine, String tenant, String type) {
    return all(engine, tenant).stream().filter(a -> a.type().equals(type)).toList();
  }

  /**
   * @param engine the engine
   * @param tenant the tenant
   * @return every anomaly of the tenant, newest first, read page by page
   */
  public static List<Anomaly> all(AnomalyEngine engine, String tenant) {
    List<Anomaly> out = new ArrayList<>();
    for (int page = 0; ; page++) {
      var content = engine.anomalies().list(tenant, new AnomalyQuery(null, 3650, page, 200))
          .content();
      content.forEach(s -> out.add(engine.anomalies().get(tenant, s.id())));
      if (content.size() < 200) {
        return out;
      }
    }
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
