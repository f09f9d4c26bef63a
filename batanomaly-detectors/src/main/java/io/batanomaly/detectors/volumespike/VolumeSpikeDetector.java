package io.batanomaly.detectors.volumespike;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.internal.Formats;
import io.batanomaly.detectors.internal.ScopeLookup;
import io.batanomaly.detectors.internal.ServiceRuns;
import io.batanomaly.detectors.internal.Severities;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.window.BucketRing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts each service's events in one-second buckets over event time and judges the
 * {@link SpikeRule} each time a bucket closes (the first event of a later bucket opens it; the
 * thread that sees {@link BucketRing#OPENED} judges the closed bucket, at most once per
 * bucket).
 *
 * <p><b>Warm-up.</b> A service is judged once it has sent traffic for a full volume window; a
 * service that resumes after a silence longer than the current window
 * ({@code ANOMALY_VOLUME_CURRENT_WINDOW}) warms up again, so traffic coming back after a pause
 * is not mistaken for a spike (the pause's empty seconds would otherwise lower the baseline).
 *
 * <p>Hot path: one attachment read and one CAS per event, or, for a batch, per run of a
 * service's events within one bucket ({@link ServiceRuns}). Judging, once per second per
 * service, carries the sums of the current window and of the baseline over from the second
 * before and reads only the buckets that entered and left them, unless late events changed the
 * buckets carried over ({@link ServiceVolume}); it allocates only a new baseline every tenth
 * second and, when the rule holds, the finding.
 */
final class VolumeSpikeDetector implements Detector {
  static final String TYPE = "VOLUME_SPIKE";

  private final DetectorContext context;
  private final SpikeRule rule;
  private final Attachment<ServiceVolume> volumes;
  private final LongAdder evaluations = new LongAdder();
  private final LongAdder findings = new LongAdder();

  VolumeSpikeDetector(DetectorContext context) {
    this.context = context;
    this.rule = SpikeRule.from(context.config());
    int slots = BucketRing.bucketsFor(rule.windowBuckets * SpikeRule.BUCKET_MILLIS,
        context.allowedLateness().toMillis(), SpikeRule.BUCKET_MILLIS);
    this.volumes = context.serviceAttachment(scope -> new ServiceVolume(
        new BucketRing(SpikeRule.BUCKET_MILLIS, slots, context.clock().millis())));
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    observe(event.epochMillis(), scope, sink);
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    // a run of a service's events within one bucket is added in one CAS (see ServiceRuns)
    ServiceRuns runs = ServiceRuns.get(events);
    try {
      runs.cutAll(events, SpikeRule.BUCKET_MILLIS);
      for (int r = 0, n = runs.size(); r < n; r++) {
        ServiceScope scope = runs.scope(r);
        ServiceVolume v = scope.get(volumes);
        long bucketStart = runs.bucketStart(r);
        if (v.add(bucketStart, runs.events(r)) == BucketRing.OPENED) {
          bucketOpened(v, v.ring.epoch(bucketStart), scope, sink);
        }
      }
    } finally {
      runs.release();
    }
  }

  private void observe(long t, ServiceScope scope, FindingSink sink) {
    ServiceVolume v = scope.get(volumes);
    if (v.add(t, 1) == BucketRing.OPENED) {
      bucketOpened(v, v.ring.epoch(t), scope, sink);
    }
  }

  private void bucketOpened(ServiceVolume v, long epoch, ServiceScope scope, FindingSink sink) {
    // a silence longer than the current window would put its empty seconds into the baseline
    // and make the usual rate coming back look like a spike: warm up again after one
    v.opened(epoch, rule.currentBuckets);
    long closed = epoch - 1;
    if (closed - rule.windowBuckets + 1 < v.activeSince() || !v.claim(closed)) {
      return;
    }
    evaluations.increment();
    SpikeRule.Verdict verdict = v.judge(rule, closed);
    if (verdict != null) {
      findings.increment();
      sink.report(finding(scope, verdict));
    }
  }

  /** @return how far past the rule a verdict is: the smaller of z / threshold and ratio / min */
  double excess(SpikeRule.Verdict v) {
    return Math.min(v.z() / rule.zThreshold, v.ratio() / rule.minRatio);
  }

  private Map<String, Object> evidence(SpikeRule.Verdict v) {
    double currentSeconds = (v.currentEnd() - v.currentStart()) / 1000.0;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("currentRate", Formats.round(v.current() / currentSeconds, 3));
    m.put("baselineRate", Formats.round(v.baselineRate(), 3));
    m.put("baselineStdDev", Formats.round(v.baselineSigma(), 3));
    m.put("baselineStdDevObserved", Formats.round(v.observedSigma(), 3));
    m.put("zScore", Formats.round(v.z(), 2));
    m.put("zThreshold", Formats.round(rule.zThreshold, 2));
    m.put("currentCount", v.current());
    m.put("expectedCount", Formats.round(v.expected(), 1));
    m.put("increaseRatio", Formats.round(v.ratio(), 2));
    m.put("minRatio", Formats.round(rule.minRatio, 2));
    m.put("minIncrease", Formats.round(rule.minIncrease, 1));
    m.put("minBaselineRate", Formats.round(rule.minBaselineRate, 3));
    m.put("bucketSeconds", SpikeRule.BUCKET_MILLIS / 1000);
    m.put("currentWindowStart", Formats.instant(v.currentStart()));
    m.put("currentWindowEnd", Formats.instant(v.currentEnd()));
    m.put("baselineWindowStart", Formats.instant(v.baselineStart()));
    m.put("baselineWindowEnd", Formats.instant(v.baselineEnd()));
    return m;
  }

  private Finding finding(ServiceScope scope, SpikeRule.Verdict v) {
    Map<String, Object> evidence = evidence(v);
    long currentMillis = v.currentEnd() - v.currentStart();
    Finding.Builder b = Finding.builder(scope.tenant(), TYPE, scope.service())
        .service(scope.service())
        .severity(Severities.ofExcess(excess(v)))
        .summary("Traffic to service '" + scope.service() + "' rose to "
            + Formats.oneDecimal(v.current() * 1000.0 / currentMillis) + " events/s over "
            + Formats.duration(currentMillis) + ", "
            + Formats.oneDecimal(v.ratio()) + "x its baseline of "
            + Formats.oneDecimal(v.baselineRate()) + " events/s (z = " + Formats.oneDecimal(v.z())
            + ", threshold " + Formats.oneDecimal(rule.zThreshold) + ")")
        .metric("service", scope.service())
        .action("Find the identifiers behind the burst and rate-limit or block any that are"
            + " abusive")
        .action("Check for a runaway retry loop or a misconfigured client calling '"
            + scope.service() + "'")
        .action("If the traffic is legitimate, make sure '" + scope.service()
            + "' has the capacity for it");
    evidence.forEach(b::metric);
    return b.build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    return ScopeLookup.reevaluateService(context, anomaly, nowMillis, (scope, service, now) -> {
      ServiceVolume v = scope.get(volumes);
      SpikeRule.Verdict verdict = rule.evaluate(v.ring, v.ring.epoch(now) - 1, true);
      Map<String, Object> evidence = evidence(verdict);
      if (verdict.holds()) {
        return Reevaluation.stillHolds("traffic to '" + service + "' is still "
            + Formats.oneDecimal(verdict.ratio()) + "x its baseline (z = "
            + Formats.oneDecimal(verdict.z()) + ")", evidence);
      }
      return Reevaluation.cleared("traffic to '" + service + "' is back within the rule ("
          + Formats.oneDecimal(verdict.ratio()) + "x its baseline, z = "
          + Formats.oneDecimal(verdict.z()) + ")", evidence);
    });
  }

  @Override
  public Map<String, Long> stats() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("keysTracked", ScopeLookup.serviceCount(context));
    m.put("evaluations", evaluations.sum());
    m.put("findings", findings.sum());
    return m;
  }
}
