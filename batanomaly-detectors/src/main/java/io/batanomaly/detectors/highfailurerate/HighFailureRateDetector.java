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
import io.batanomaly.detectors.internal.VersionBatch;
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
import io.batanomaly.spi.TenantScope;
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
 * evaluation on its own is three map lookups and one or two CAS increments; nothing is
 * allocated. The window is judged when a failure arrives (a sum over ten buckets, no allocation)
 * and when a bucket opens; while the condition holds it is reported at most once per bucket, so
 * the anomaly's evidence stays current without a finding per event.
 *
 * <p>A batch ({@link #observe(AcceptedEvents, FindingSink)}) is gathered per version in the
 * thread's {@link VersionBatch}: the version is looked up once per batch, and a run of successes
 * in a bucket the thread has already seen open goes in with one add, since adding them one by one
 * would open no bucket and judge nothing. The first evaluation of a version in the batch, every
 * failure and every evaluation of another bucket are counted on their own as above, after what
 * was gathered for that version; what was gathered for the others is added before a finding is
 * built (it reads the previous version's counts) and when the batch ends. So a thread's batch
 * leaves the same counts and raises the same findings as its evaluations one by one.
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
  /** Each ingesting thread's scratch for {@link #observe(AcceptedEvents, FindingSink)}. */
  private final ThreadLocal<VersionBatch<RateVersion>> batches =
      ThreadLocal.withInitial(VersionBatch::new);

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
    VersionBatch<RateVersion> batch = batches.get();
    try {
      for (int i = 0, n = events.size(); i < n; i++) {
        Outcome outcome = events.outcome(i);
        if (outcome == null || !events.isPolicyEvaluation(i)) {
          continue;
        }
        long t = events.epochMillis(i);
        TenantScope tenant = events.scope(i).tenantScope();
        String module = events.policyModule(i);
        String function = events.policyFunction(i);
        String versionId = events.versionId(i);
        VersionBatch.Entry<RateVersion> e = batch.entry(tenant, module, function, versionId);
        if (e == null) {
          applyAll(batch, sink);
          batch.endRound();
          e = batch.entry(tenant, module, function, versionId);
        }
        if (outcome == Outcome.SUCCESS && e.covers(t)) {
          // a success in a bucket this thread has seen open: an add that opens nothing and
          // judges nothing, so it can wait and go in with the others of the run
          e.gather(t);
        } else {
          evaluatedAlone(batch, e, outcome, t, sink);
        }
      }
    } finally {
      applyAll(batch, sink);
      batch.endRound();
    }
  }

  /**
   * Counts one evaluation of a batch on its own, as {@link #evaluated} does: the first of its
   * version in the batch (whose add may open a bucket), a failure, or one outside the bucket
   * the entry gathers for. What the entry gathered before it is applied first, so the version's
   * state sees the batch's evaluations in order.
   */
  private void evaluatedAlone(VersionBatch<RateVersion> batch, VersionBatch.Entry<RateVersion> e,
      Outcome outcome, long t, FindingSink sink) {
    RateVersion v = e.version;
    if (v != null) {
      apply(batch, e, sink);
      v = e.version == null ? null : current(e, t);
    }
    if (v == null) {
      TenantScope tenant = e.tenant();
      VersionTable<VersionGroup<RateVersion>, RateVersion> table = tables.of(tenant);
      v = table.get(e.keyHash(), e.module(), e.function(), e.versionId());
      if (v == null) {
        // creating a version may sweep the table, which reads every version's newest time and
        // may remove versions resolved earlier in the batch: apply all, then start afresh
        String module = e.module();
        String function = e.function();
        String versionId = e.versionId();
        applyAll(batch, sink);
        batch.endRound();
        v = table.getOrCreate(module, function, versionId, t);
        if (v == null) {
          return;
        }
        e = batch.entry(tenant, module, function, versionId);
      }
      e.version = v;
      e.table = table;
    }
    @SuppressWarnings("unchecked")
    VersionTable<VersionGroup<RateVersion>, RateVersion> table =
        (VersionTable<VersionGroup<RateVersion>, RateVersion>) e.table;
    int added = record(e.tenant().tenant(), table, v, outcome, t, sink, batch);
    if (added != BucketRing.LATE && (e.from == e.to || t >= e.to)) {
      // the bucket of t is open now, and stays open while this thread adds to it
      e.from = Math.floorDiv(t, bucketMillis) * bucketMillis;
      e.to = e.from + bucketMillis;
    }
  }

  /** Applies the successes an entry gathered: one add of the run, judged if it opened a bucket. */
  private void apply(VersionBatch<RateVersion> batch, VersionBatch.Entry<RateVersion> e,
      FindingSink sink) {
    int count = e.count;
    if (count == 0) {
      return;
    }
    long newest = e.newest;
    e.reset();
    RateVersion v = current(e, newest);
    if (v == null) {
      return;
    }
    int added = v.total.add(newest, count);
    if (added == BucketRing.LATE) {
      tables.countLate(count);
      return;
    }
    v.touch(newest);
    if (added == BucketRing.OPENED) {
      @SuppressWarnings("unchecked")
      VersionTable<VersionGroup<RateVersion>, RateVersion> table =
          (VersionTable<VersionGroup<RateVersion>, RateVersion>) e.table;
      evaluate(e.tenant().tenant(), table, v, sink, batch);
    }
  }

  /**
   * Returns the entry's version, or, if a sweep of another thread removed it while the batch
   * gathered for it, the version tracked under its key now (created if need be), as
   * evaluations arriving one by one after the sweep would find.
   */
  private RateVersion current(VersionBatch.Entry<RateVersion> e, long t) {
    RateVersion v = e.version;
    if (v.isRemoved()) {
      @SuppressWarnings("unchecked")
      VersionTable<VersionGroup<RateVersion>, RateVersion> table =
          (VersionTable<VersionGroup<RateVersion>, RateVersion>) e.table;
      v = table.getOrCreate(e.module(), e.function(), e.versionId(), t);
      e.version = v;
      // another version, or none (the next evaluation of the key then resolves it afresh):
      // gather for it only once one of its buckets was seen open
      e.from = 0;
      e.to = 0;
    }
    return v;
  }

  private void applyAll(VersionBatch<RateVersion> batch, FindingSink sink) {
    for (int i = 0; i < batch.size(); i++) {
      apply(batch, batch.get(i), sink);
    }
  }

  private void evaluated(String module, String function, String versionId, Outcome outcome,
      long t, ServiceScope scope, FindingSink sink) {
    VersionTable<VersionGroup<RateVersion>, RateVersion> table =
        tables.of(scope.tenantScope());
    RateVersion v = table.getOrCreate(module, function, versionId, t);
    if (v != null) {
      record(scope.tenant(), table, v, outcome, t, sink, null);
    }
  }

  /**
   * Counts one evaluation and judges the window when it failed or opened a bucket.
   *
   * @return the add's result
   */
  private int record(String tenant, VersionTable<VersionGroup<RateVersion>, RateVersion> table,
      RateVersion v, Outcome outcome, long t, FindingSink sink, VersionBatch<RateVersion> batch) {
    int added = v.total.add(t);
    if (added == BucketRing.LATE) {
      tables.countLate();
      return added;
    }
    boolean failed = outcome == Outcome.FAILURE;
    if (failed) {
      v.failures.add(t);
    }
    v.touch(t);
    if (failed || added == BucketRing.OPENED) {
      evaluate(tenant, table, v, sink, batch);
    }
    return added;
  }

  /**
   * Judges the version's window. Before reporting, applies what the batch gathered (the
   * finding reads the version's siblings); the verdict itself reads only the version, whose
   * gathered evaluations the caller has applied.
   */
  private void evaluate(String tenant, VersionTable<VersionGroup<RateVersion>, RateVersion> table,
      RateVersion v, FindingSink sink, VersionBatch<RateVersion> batch) {
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
    if (batch != null) {
      applyAll(batch, sink);
    }
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
