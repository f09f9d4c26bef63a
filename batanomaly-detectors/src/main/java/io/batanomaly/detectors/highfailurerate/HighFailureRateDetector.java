package io.batanomaly.detectors.highfailurerate;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.internal.Durations;
import io.batanomaly.detectors.internal.Formats;
import io.batanomaly.detectors.internal.ScopeLookup;
import io.batanomaly.detectors.internal.Severities;
import io.batanomaly.detectors.internal.PolicySettings;
import io.batanomaly.detectors.internal.TrackedVersion;
import io.batanomaly.detectors.internal.VersionGroup;
import io.batanomaly.detectors.internal.VersionTable;
import io.batanomaly.detectors.internal.VersionTables;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.window.BucketRing;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raises {@code HIGH_FAILURE_RATE} when a policy version's failure rate over the sliding window
 * ({@code ANOMALY_FAILURE_RATE_WINDOW}) exceeds the threshold
 * ({@code ANOMALY_FAILURE_RATE_THRESHOLD}) while the window holds at least
 * {@code ANOMALY_FAILURE_RATE_MIN_SAMPLES} evaluations, so one failed run out of one is not an
 * anomaly.
 *
 * <h2>How</h2>
 *
 * <p>Each version (per tenant, in a {@link VersionTable}) has two {@link BucketRing}s over event
 * time, one counting evaluations with an outcome and one counting failures, in buckets a tenth of
 * the window wide, long enough to also hold the baseline span before the window. Observing an
 * evaluation is three map lookups and one or two CAS increments; nothing is allocated. The window
 * is judged when a failure arrives (a sum over ten buckets, no allocation) and when a bucket
 * opens; while the condition holds it is reported at most once per bucket, so the anomaly's
 * evidence stays current without a finding per event.
 *
 * <p>The baseline is the version's own failure rate over {@code ANOMALY_FAILURE_RATE_BASELINE}
 * before the window; when the version is too new to have one (fewer evaluations there than the
 * minimum), it is the previous version's rate (the version of the same module and function seen
 * last among those first seen earlier) over the baseline span and the window; with neither it is
 * reported as 0 and the summary says so. The baseline is evidence: the threshold alone decides.
 *
 * <p>Severity follows the shared mapping ({@link Severities}) of the rate divided by the
 * threshold: with the 10% default, LOW above 10% and below 15%, MEDIUM from 15%, HIGH from 20%, CRITICAL from
 * 40%.
 *
 * <p>Thread-safe: {@link #observe} is lock-free; {@link #reevaluate} reads the live rings.
 */
final class HighFailureRateDetector implements Detector {

  static final String TYPE = "HIGH_FAILURE_RATE";

  private final double threshold;
  private final Duration window;
  private final String windowText;
  private final int minSamples;
  private final long bucketMillis;
  private final int windowBuckets;
  private final int baselineBuckets;
  private final int ringBuckets;
  private final VersionTables<VersionGroup<RateVersion>, RateVersion> tables;

  HighFailureRateDetector(DetectorContext context) {
    this.threshold = context.config().get(HighFailureRateSettings.THRESHOLD) / 100.0;
    this.window = context.config().get(HighFailureRateSettings.WINDOW);
    this.windowText = Durations.human(window);
    Duration baseline = context.config().get(HighFailureRateSettings.BASELINE);
    this.minSamples = context.config().get(HighFailureRateSettings.MIN_SAMPLES);
    int budget = context.config().get(PolicySettings.MAX_VERSIONS);
    this.bucketMillis = Math.max(1000, window.toMillis() / 10);
    this.windowBuckets = (int) ((window.toMillis() + bucketMillis - 1) / bucketMillis);
    this.baselineBuckets = (int) ((baseline.toMillis() + bucketMillis - 1) / bucketMillis);
    this.ringBuckets = BucketRing.bucketsFor(window.toMillis() + baseline.toMillis(),
        context.allowedLateness().toMillis(), bucketMillis);
    long idle = window.toMillis() + baseline.toMillis() + context.allowedLateness().toMillis();
    this.tables = new VersionTables<>(context, budget, idle, VersionGroup::new,
        (group, versionId, first) -> new RateVersion(group, versionId, first, bucketMillis,
            ringBuckets));
  }

  /** One version's evaluation and failure counts. */
  static final class RateVersion extends TrackedVersion {
    final BucketRing total;
    final BucketRing failures;
    /** The newest bucket for which the condition was reported, to report once per bucket. */
    final AtomicLong reportedEpoch = new AtomicLong(Long.MIN_VALUE);

    RateVersion(VersionGroup<?> group, String versionId, long firstSeen, long bucketMillis,
        int buckets) {
      super(group, versionId, firstSeen);
      this.total = new BucketRing(bucketMillis, buckets, firstSeen);
      this.failures = new BucketRing(bucketMillis, buckets, firstSeen);
    }
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.isPolicyEvaluation() && event.outcome() != null) {
      evaluated(event.policyModule(), event.policyFunction(), event.versionId(),
          event.outcome(), event.epochMillis(), scope, sink);
    }
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    for (int i = 0, n = events.size(); i < n; i++) {
      Outcome outcome = events.outcome(i);
      if (outcome != null && events.isPolicyEvaluation(i)) {
        evaluated(events.policyModule(i), events.policyFunction(i), events.versionId(i), outcome,
            events.epochMillis(i), events.scope(i), sink);
      }
    }
  }

  private void evaluated(String module, String function, String versionId, Outcome outcome,
      long t, ServiceScope scope, FindingSink sink) {
    VersionTable<VersionGroup<RateVersion>, RateVersion> table =
        tables.of(scope.tenantScope());
    RateVersion v = table.getOrCreate(module, function, versionId, t);
    if (v == null) {
      return;
    }
    int added = v.total.add(t);
    if (added == BucketRing.LATE) {
      tables.countLate();
      return;
    }
    boolean failed = outcome == Outcome.FAILURE;
    if (failed) {
      v.failures.add(t);
    }
    v.touch(t);
    if (failed || added == BucketRing.OPENED) {
      evaluate(scope.tenant(), table, v, sink);
    }
  }

  private void evaluate(String tenant, VersionTable<VersionGroup<RateVersion>, RateVersion> table,
      RateVersion v, FindingSink sink) {
    long epoch = v.total.epoch(v.lastSeen());
    long from = epoch - windowBuckets + 1;
    long n = v.total.sum(from, epoch);
    long failed = v.failures.sum(from, epoch);
    boolean holds = n >= minSamples && (double) failed / n > threshold;
    if (!holds) {
      v.setHolding(false);
      return;
    }
    long reported = v.reportedEpoch.get();
    if (reported >= epoch || !v.reportedEpoch.compareAndSet(reported, epoch)) {
      return; // already reported for this bucket
    }
    v.setHolding(true);
    VersionGroup<RateVersion> group = table.group(v.module(), v.function());
    sink.report(finding(tenant, v, group, from, epoch, n, failed));
  }

  private Finding finding(String tenant, RateVersion v, VersionGroup<RateVersion> group,
      long from, long epoch, long n, long failed) {
    double rate = (double) failed / n;
    long baseFrom = from - baselineBuckets;
    long ownN = v.total.sum(baseFrom, from - 1);
    long ownF = v.failures.sum(baseFrom, from - 1);
    double baseline = 0;
    String baselineText = "no earlier evaluations to compare with";
    RateVersion previous = group == null ? null : group.previousOf(v);
    if (ownN >= minSamples || (ownN > 0 && previous == null)) {
      baseline = (double) ownF / ownN;
      baselineText = String.format(Locale.ROOT, "baseline %s over the previous %s", pct(baseline),
          Durations.human(Duration.ofMillis(baselineBuckets * bucketMillis)));
    } else if (previous != null) {
      long prevN = previous.total.sum(baseFrom, epoch);
      long prevF = previous.failures.sum(baseFrom, epoch);
      if (prevN > 0) {
        baseline = (double) prevF / prevN;
        baselineText = "baseline " + pct(baseline) + " on the previous version "
            + previous.versionId();
      }
    }
    String versionText = previous != null
        ? "Roll back to the previous stable version (" + previous.versionId() + ")"
        : "Roll back to the previous stable version";
    return Finding.builder(tenant, TYPE, v.subject())
        .policy(v.module(), v.function(), v.versionId())
        .severity(Severities.ofExcess(rate / threshold))
        .summary(String.format(Locale.ROOT, "Policy %s fails %s of its evaluations (%d of %d in"
            + " the last %s); %s", v.subject(), pct(rate), failed, n, windowText,
            baselineText))
        .metric("failureRate", Formats.round(rate, 4))
        .metric("baselineFailureRate", Formats.round(baseline, 4))
        .metric("sampleSize", n)
        .metric("windowStart", Instant.ofEpochMilli(v.total.startOf(from)))
        .metric("windowEnd", Instant.ofEpochMilli(v.lastSeen()))
        .action(versionText)
        .action("Inspect evaluation errors for pattern")
        .action("Check the inputs and dependencies the version calls for recent changes")
        .build();
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }


  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    VersionTables.Found<VersionGroup<RateVersion>, RateVersion> found = tables.find(anomaly);
    if (found == null) {
      return Reevaluation.cleared("the version " + anomaly.subject() + " is no longer tracked:"
          + " it has had no evaluations for longer than the window and baseline", Map.of());
    }
    RateVersion v = found.version();
    long now = ScopeLookup.eventTimeNow(found.scope(), nowMillis);
    long epoch = v.total.epoch(now);
    long from = epoch - windowBuckets + 1;
    long n = v.total.sum(from, epoch);
    long failed = v.failures.sum(from, epoch);
    double rate = n == 0 ? 0 : (double) failed / n;
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("failureRate", Formats.round(rate, 4));
    metrics.put("sampleSize", n);
    metrics.put("windowStart", Instant.ofEpochMilli(v.total.startOf(from)));
    metrics.put("windowEnd", Instant.ofEpochMilli(now));
    if (n < minSamples) {
      v.setHolding(false);
      return Reevaluation.cleared(String.format(Locale.ROOT, "only %d evaluations in the last %s,"
          + " fewer than the %d needed to judge", n, windowText, minSamples), metrics);
    }
    if (rate <= threshold) {
      v.setHolding(false);
      return Reevaluation.cleared(String.format(Locale.ROOT, "failure rate is %s over the last %s,"
          + " not above the %s threshold", pct(rate), windowText, pct(threshold)), metrics);
    }
    return Reevaluation.stillHolds(String.format(Locale.ROOT, "failure rate is %s over the last"
        + " %s (%d evaluations), above the %s threshold", pct(rate), windowText, n,
        pct(threshold)), metrics);
  }

  @Override
  public Map<String, Long> stats() {
    return tables.stats();
  }
}
