package io.batanomaly.testkit;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A detector that only keeps every event it observes, to see what the engine received. */
public final class RecordingDetector implements DetectorProvider {
  /** Every event observed, in the order observed. */
  public final ConcurrentLinkedQueue<AuditEvent> events = new ConcurrentLinkedQueue<>();

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public Detector create(DetectorContext context) {
    return new Detector() {
      @Override
      public Set<String> types() {
        return Set.of("RECORDED");
      }

      @Override
      public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
        events.add(event);
      }

      @Override
      public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
        return Reevaluation.cleared("nothing to re-evaluate", Map.of());
      }
    };
  }
}
