package io.batanomaly.reliability;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.window.BucketRing;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A detector for engine tests: counts every event it observes in a per-service
 * {@link BucketRing} of one-second buckets (a little over two hours of them), and reports a
 * RECORDED finding for the subject {@code service} whenever an event carries the identifier
 * {@link #TRIGGER}. Everything it counted can be compared with a brute-force recount.
 */
final class RecordingDetector implements Detector {
  static final String NAME = "recording";
  static final String TYPE = "RECORDED";
  static final String TRIGGER = "trigger-finding";
  static final int BUCKETS = 8192;

  final Attachment<BucketRing> rings;
  final LongAdder observed = new LongAdder();
  final LongAdder ticks = new LongAdder();
  private final DetectorContext context;

  private RecordingDetector(DetectorContext context) {
    this.context = context;
    this.rings = context.serviceAttachment(
        scope -> new BucketRing(1000, BUCKETS, scope.firstSeenMillis()));
  }

  static DetectorProvider provider() {
    return new DetectorProvider() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public Detector create(DetectorContext context) {
        return new RecordingDetector(context);
      }
    };
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    observed.increment();
    scope.get(rings).add(event.epochMillis());
    if (TRIGGER.equals(event.identifier())) {
      sink.report(Finding.builder(scope.tenant(), TYPE, scope.service())
          .service(scope.service())
          .severity(Severity.MEDIUM)
          .summary("recorded a trigger event for " + scope.service())
          .build());
    }
  }

  @Override
  public void tick(long nowMillis, FindingSink sink) {
    ticks.increment();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    return Reevaluation.stillHolds("the recording detector always holds", Map.of());
  }

  @Override
  public Map<String, Long> stats() {
    return Map.of("observed", observed.sum());
  }

  /** Visits the ring of every service the engine tracks. */
  long countIn(String tenant, String service, long epoch) {
    long[] n = {0};
    context.forEachTenant(t -> {
      if (t.tenant().equals(tenant)) {
        t.forEachService(s -> {
          if (s.service().equals(service)) {
            BucketRing ring = s.get(rings);
            n[0] = ring.count(epoch);
          }
        });
      }
    });
    return n[0];
  }
}
