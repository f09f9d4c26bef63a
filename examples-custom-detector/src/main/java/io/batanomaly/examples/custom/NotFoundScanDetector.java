package io.batanomaly.examples.custom;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import io.batanomaly.window.KeyedState;
import io.batanomaly.window.ThresholdRing;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts 404 responses per tenant and identifier with the core's window primitives: a
 * {@link ThresholdRing} per identifier holds its {@code threshold} latest 404 times (exact
 * under out-of-order events), inside a {@link KeyedState} whose budget bounds memory. An
 * identifier that has drawn at least two 404s within the window is protected from eviction, so
 * a crowd of one-time clients cannot push a scanner out.
 *
 * <p>{@link #observe} takes no lock; it allocates only when an identifier is first seen and when
 * it reports, which it does at most once per window per identifier (the engine deduplicates
 * findings and applies the cooldown).
 */
final class NotFoundScanDetector implements Detector {

  private final int threshold;
  private final long windowMillis;
  private final int budget;
  private final DetectorContext context;
  private final Attachment<KeyedState<String, Entry>> state;
  private final LongAdder observed = new LongAdder();

  NotFoundScanDetector(DetectorContext context, int threshold, long windowMillis, int budget) {
    this.context = context;
    this.threshold = threshold;
    this.windowMillis = windowMillis;
    this.budget = budget;
    KeyedState.Policy<Entry> policy = new KeyedState.Policy<>() {
      @Override
      public boolean isExpired(Entry e, long nowMillis) {
        return e.ring.newest() < nowMillis - windowMillis;
      }

      @Override
      public boolean isProtected(Entry e, long nowMillis) {
        return e.ring.countWithin(nowMillis - windowMillis, Long.MAX_VALUE) >= 2;
      }

      @Override
      public long lastTouched(Entry e) {
        return e.ring.newest();
      }
    };
    this.state = context.tenantAttachment(
        tenant -> new KeyedState<>(budget, id -> new Entry(threshold), policy));
  }

  /** One identifier: its latest 404 times and when it was last reported. */
  private static final class Entry {
    final ThresholdRing ring;
    final AtomicLong lastReported = new AtomicLong(Long.MIN_VALUE);

    Entry(int threshold) {
      this.ring = new ThresholdRing(threshold);
    }
  }

  @Override
  public Set<String> types() {
    return Set.of(NotFoundScanProvider.TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.status() != 404 || event.identifier() == null) {
      return;
    }
    observed.increment();
    long t = event.epochMillis();
    KeyedState<String, Entry> keys = scope.tenantScope().get(state);
    Entry entry = keys.getOrCreate(event.identifier(), t);
    if (entry == null) {
      return;
    }
    boolean recorded = entry.ring.record(t);
    // a sweep on another thread may have evicted the entry since the look-up: keep the record
    keys.keep(event.identifier(), entry);
    if (!recorded || !entry.ring.isReached(windowMillis)) {
      return;
    }
    long last = entry.lastReported.get();
    if (last != Long.MIN_VALUE && t - last < windowMillis) {
      return;
    }
    if (entry.lastReported.compareAndSet(last, t)) {
      sink.report(finding(scope, event.identifier(), entry));
    }
  }

  private Finding finding(ServiceScope scope, String identifier, Entry entry) {
    long from = entry.ring.oldest();
    long to = entry.ring.newest();
    long seconds = Math.max(1, (to - from + 999) / 1000);
    return Finding.builder(scope.tenant(), NotFoundScanProvider.TYPE, identifier)
        .identifier(identifier)
        .service(scope.service())
        .severity(Severity.MEDIUM)
        .summary(identifier + " drew " + threshold + " 404 responses in " + seconds
            + " s: probing for paths that do not exist")
        .metric("notFoundCount", threshold)
        .metric("threshold", threshold)
        .metric("windowSeconds", windowMillis / 1000)
        .metric("windowStart", Instant.ofEpochMilli(from))
        .metric("windowEnd", Instant.ofEpochMilli(to))
        .action("Rate-limit or block " + identifier + " at the edge")
        .action("Check the access log for the paths it probed and whether any answered 200")
        .build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    int[] count = {0};
    context.forEachTenant(tenant -> {
      if (tenant.tenant().equals(anomaly.tenant())) {
        Entry e = tenant.get(state).get(anomaly.subject());
        if (e != null) {
          count[0] = e.ring.countWithin(nowMillis - windowMillis, nowMillis);
        }
      }
    });
    metrics.put("notFoundCount", count[0]);
    metrics.put("threshold", threshold);
    metrics.put("windowSeconds", windowMillis / 1000);
    metrics.put("windowEnd", Instant.ofEpochMilli(nowMillis));
    return count[0] >= threshold
        ? Reevaluation.stillHolds(anomaly.subject() + " still draws " + count[0]
            + " 404 responses within the window", metrics)
        : Reevaluation.cleared(anomaly.subject() + " drew " + count[0] + " 404 responses in the"
            + " last " + windowMillis / 1000 + " s, below the threshold of " + threshold, metrics);
  }

  @Override
  public Map<String, Long> stats() {
    long[] totals = new long[3];
    context.forEachTenant((TenantScope tenant) -> {
      KeyedState<String, Entry> keys = tenant.get(state);
      totals[0] += keys.size();
      totals[1] += keys.evictions() + keys.expirations();
      totals[2] += keys.shed();
    });
    return Map.of("keysTracked", totals[0], "keysEvicted", totals[1], "keysShed", totals[2],
        "notFoundObserved", observed.sum(), "keyBudgetPerTenant", (long) budget);
  }
}
