package io.batanomaly;

import io.batanomaly.api.Anomaly;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** A detector whose observe signals that it was entered, then waits to be released. */
final class BlockingDetector implements DetectorProvider {
  private final CountDownLatch inside;
  private final CountDownLatch release;

  BlockingDetector(CountDownLatch inside, CountDownLatch release) {
    this.inside = inside;
    this.release = release;
  }

  @Override
  public String name() {
    return "blocking";
  }

  @Override
  public Detector create(DetectorContext context) {
    return new Detector() {
      @Override
      public Set<String> types() {
        return Set.of("BLOCKED");
      }

      @Override
      public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
        return Reevaluation.cleared("nothing to re-evaluate", Map.of());
      }
    };
  }
}
