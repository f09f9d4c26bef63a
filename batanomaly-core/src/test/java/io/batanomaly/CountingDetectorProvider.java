package io.batanomaly;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test detector: counts every event per service in a one-minute bucket ring and reports a
 * COUNT_REACHED finding each time a service's total reaches a multiple of {@code every}, with a
 * severity that grows with the count. Public with a no-argument constructor so ServiceLoader can
 * find it.
 */
public final class CountingDetectorProvider implements DetectorProvider {

  /** Setting read by the detector: report every N events. */
  static final Setting<Integer> EVERY =
      Setting.positiveInt("ANOMALY_TEST_COUNT_EVERY", 5, "report every N events");

  @Override
  public String name() {
    return "counting";
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(EVERY);
  }

  @Override
  public Detector create(DetectorContext context) {
    return new CountingDetector(context);
  }

  /** Per-service state. */
  static final class Counts {
    final BucketRing ring;
    final AtomicLong total = new AtomicLong();

    Counts(long base) {
      ring = new BucketRing(60_000, 64, base);
    }
  }

  static final class CountingDetector implements Detector {
    final Attachment<Counts> counts;
    final int every;
    final AtomicLong seen = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final DetectorContext context;

    CountingDetector(DetectorContext context) {
      this.context = context;
      long base = context.clock().millis();
      this.counts = context.serviceAttachment(s -> new Counts(base));
      this.every = context.config().get(EVERY);
    }

    @Override
    public Set<String> types() {
      return Set.of("COUNT_REACHED");
    }

    @Override
    public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
      Counts c = scope.get(counts);
      if (c.ring.add(event.epochMillis()) == BucketRing.LATE) {
        late.incrementAndGet();
      }
      seen.incrementAndGet();
      long n = c.total.incrementAndGet();
      if (n % every == 0) {
        Severity severity = n >= 4L * every ? Severity.HIGH
            : n >= 2L * every ? Severity.MEDIUM : Severity.LOW;
        sink.report(Finding.builder(scope.tenant(), "COUNT_REACHED", scope.service())
            .service(scope.service())
            .severity(severity)
            .summary(scope.service() + " reached " + n + " events")
            .metric("count", n)
            .action("Look at " + scope.service())
            .build());
      }
    }

    /** Sums every service's whole ring, over all tenants. */
    long ringTotal() {
      AtomicLong total = new AtomicLong();
      context.forEachTenant(t -> t.forEachService(s -> {
        BucketRing ring = s.get(counts).ring;
        long newest = ring.newestEpoch();
        total.addAndGet(ring.sum(newest - ring.buckets() + 1, newest));
      }));
      return total.get();
    }

    @Override
    public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
      return Reevaluation.stillHolds("counted", Map.of());
    }

    @Override
    public Map<String, Long> stats() {
      return Map.of("eventsSeen", seen.get(), "lateEvents", late.get());
    }
  }
}
