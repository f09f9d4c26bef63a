package io.batanomaly.detectors.performancedegradation;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.internal.Durations;
import io.batanomaly.detectors.internal.Formats;
import io.batanomaly.detectors.internal.ScopeLookup;
import io.batanomaly.detectors.internal.Severities;
import io.batanomaly.detectors.internal.PolicySettings;
import io.batanomaly.detectors.internal.VersionBatch;
import io.batanomaly.detectors.internal.VersionGroup;
import io.batanomaly.detectors.internal.VersionTable;
import io.batanomaly.detectors.internal.VersionTables;
import io.batanomaly.detectors.performancedegradation.VersionLatency.Slot;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Raises {@code PERFORMANCE_DEGRADATION} when a policy version's execution time over a window
 * rises well above its baseline: its mean (the document's "average execution time"; or, by
 * {@code ANOMALY_PERFORMANCE_STATISTIC}, its p95, or either) reaches
 * {@code ANOMALY_PERFORMANCE_RATIO} times the baseline's, with at least
 * {@code ANOMALY_PERFORMANCE_MIN_SAMPLES} execution times in the window and in the baseline.
 *
 * <h2>How</h2>
 *
 * <p>Execution times are recorded, lock-free, into HdrHistogram distributions per version and
 * tumbling window of {@code ANOMALY_PERFORMANCE_WINDOW} (see {@link VersionLatency}). A batch is
 * gathered per version and window in the thread's {@link VersionBatch}, up to {@value #GATHERED}
 * execution times at a time, so each version is looked up once per batch and its window's slot
 * once per run of execution times. On the
 * engine tick, each window whose end is older than the tenant's watermark minus the allowed
 * lateness is judged against the baseline, the version's own distribution over the previous one
 * to two {@code ANOMALY_PERFORMANCE_BASELINE} spans. A version too new to have a baseline of
 * enough samples is judged against the previous version's (the version of the same module and
 * function seen last among those first seen earlier); the evidence names which.
 *
 * <p>The mean catches a general slowdown, the p95 (when chosen) one of the tail alone; the
 * minimum sample count on
 * both sides keeps stationary noise quiet (with 50 samples the sample p95 of a log-normal with
 * sigma 0.5 varies by about 15%, far below the default 1.5x).
 *
 * <p>Severity follows the shared mapping ({@link Severities}) of the judged ratio (the larger of
 * the two with {@code either}) divided by
 * {@code ANOMALY_PERFORMANCE_RATIO}: with the 1.5 default, LOW below 2.25x the baseline, MEDIUM
 * from 2.25x, HIGH from 3x, CRITICAL from 6x.
 */
final class PerformanceDegradationDetector implements Detector {

  static final String TYPE = "PERFORMANCE_DEGRADATION";
  /** Standard errors the window's mean must lie above the baseline's, with the mean ratio. */
  static final double MEAN_Z = 4.0;
  /** {@code ln(1 / 1e-4)}: the tail route's chance bound. */
  static final double TAIL_LOG_ODDS = Math.log(1e4);
  /** Execution times an ingesting thread gathers per version before recording them. */
  static final int GATHERED = 64;

  private final double ratio;
  private final boolean byMean;
  private final boolean byP95;
  private final Duration window;
  private final long windowMillis;
  private final long latenessMillis;
  private final int baselineWindows;
  private final int minSamples;
  private final VersionTables<VersionGroup<VersionLatency>, VersionLatency> tables;
  /** Applies a batch's gathered evaluations: made once, for {@link VersionBatch#resolve}. */
  private final Consumer<VersionBatch<VersionLatency>> applyGathered = this::applyAll;
  private final LongAdder judged = new LongAdder();
  /** Each ingesting thread's scratch for {@link #observe(AcceptedEvents, FindingSink)}. */
  private final ThreadLocal<VersionBatch<VersionLatency>> batches =
      ThreadLocal.withInitial(VersionBatch::new);
  /** The visitor of the last tick, reused while the sink is the same. */
  private volatile TickVisit tickVisit;

  PerformanceDegradationDetector(DetectorContext context) {
    this.ratio = context.config().get(PerformanceDegradationSettings.RATIO);
    String statistic = context.config().get(PerformanceDegradationSettings.STATISTIC);
    this.byMean = !statistic.equals("p95");
    this.byP95 = !statistic.equals("mean");
    this.window = context.config().get(PerformanceDegradationSettings.WINDOW);
    this.windowMillis = window.toMillis();
    Duration baseline = context.config().get(PerformanceDegradationSettings.BASELINE);
    this.baselineWindows = (int) Math.max(1, (baseline.toMillis() + windowMillis - 1)
        / windowMillis);
    this.minSamples = context.config().get(PerformanceDegradationSettings.MIN_SAMPLES);
    this.latenessMillis = context.allowedLateness().toMillis();
    int budget = context.config().get(PolicySettings.MAX_VERSIONS);
    long idle = windowMillis * (2L * baselineWindows + 2) + latenessMillis;
    this.tables = new VersionTables<>(context, budget, idle, VersionGroup::new,
        VersionLatency::new);
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.isPolicyEvaluation() && event.hasExecutionTime()) {
      evaluated(event.policyModule(), event.policyFunction(), event.versionId(),
          event.executionTimeNanos(), event.epochMillis(), scope);
    }
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    VersionBatch<VersionLatency> batch = batches.get();
    try {
      for (int i = 0, n = events.size(); i < n; i++) {
        if (!events.isPolicyEvaluation(i) || !events.hasExecutionTime(i)) {
          continue;
        }
        long t = events.epochMillis(i);
        long micros = events.executionTimeNanos(i) / 1000;
        TenantScope tenant = events.scope(i).tenantScope();
        String module = events.policyModule(i);
        String function = events.policyFunction(i);
        String versionId = events.versionId(i);
        VersionBatch.Entry<VersionLatency> e = batch.entry(tenant, module, function, versionId);
        if (e == null) {
          applyAll(batch);
          batch.endRound();
          e = batch.entry(tenant, module, function, versionId);
        }
        if (e.covers(t) && e.count == GATHERED) {
          apply(e);
        }
        if (!e.covers(t)) {
          if (e.version != null) {
            apply(e);
          }
          if (e.version == null) {
            e = batch.resolve(e, tables.of(e.tenant()), t, applyGathered);
            if (e == null) {
              continue;
            }
          }
          // the entry now gathers the execution times of t's window
          e.from = Math.floorDiv(t, windowMillis) * windowMillis;
          e.to = e.from + windowMillis;
          if (e.values == null) {
            e.values = new long[GATHERED];
          }
        }
        e.values[e.count] = micros;
        e.gather(t);
      }
    } finally {
      applyAll(batch);
      batch.endRound();
    }
  }

  /** Records what an entry gathered into its version's window, with one look-up of the slot. */
  private void apply(VersionBatch.Entry<VersionLatency> e) {
    int count = e.count;
    if (count == 0) {
      return;
    }
    long newest = e.newest;
    e.reset();
    VersionLatency v = e.version;
    if (v.isRemoved()) {
      // a sweep of another thread removed the version while the batch gathered for it: record
      // in the version tracked under its key now, as evaluations arriving one by one would
      v = tables.of(e.tenant()).getOrCreate(e.module(), e.function(), e.versionId(), newest);
      e.version = v;
      // another version, or none (the next execution time of the key then resolves it afresh):
      // gather for it only from the next execution time on
      e.from = 0;
      e.to = 0;
      if (v == null) {
        return;
      }
    }
    if (v.record(Math.floorDiv(e.from, windowMillis), e.values, count)) {
      v.touch(newest);
    } else {
      tables.countLate(count);
    }
  }

  private void applyAll(VersionBatch<VersionLatency> batch) {
    for (int i = 0; i < batch.size(); i++) {
      apply(batch.get(i));
    }
  }

  private void evaluated(String module, String function, String versionId, long nanos, long t,
      ServiceScope scope) {
    VersionLatency v = tables.of(scope.tenantScope()).getOrCreate(module, function, versionId,
        t);
    if (v == null) {
      return;
    }
    if (v.record(Math.floorDiv(t, windowMillis), nanos / 1000)) {
      v.touch(t);
    } else {
      tables.countLate();
    }
  }

  @Override
  public void tick(long nowMillis, FindingSink sink) {
    TickVisit visit = tickVisit;
    if (visit == null || visit.sink != sink) {
      visit = new TickVisit(sink);
      tickVisit = visit;
    }
    tables.forEachTable(visit);
  }

  /**
   * Judges the closed windows of every version of a tenant's table. The engine ticks with the
   * same sink every time, so one visitor serves every tick and a tick allocates nothing when
   * no window closed.
   */
  private final class TickVisit
      implements VersionTables.TableVisitor<VersionGroup<VersionLatency>, VersionLatency> {
    final FindingSink sink;

    TickVisit(FindingSink sink) {
      this.sink = sink;
    }

    @Override
    public void visit(String tenant,
        VersionTable<VersionGroup<VersionLatency>, VersionLatency> table, long watermark) {
      // the last window whose end is at least the allowed lateness behind the watermark
      long closable = Math.floorDiv(watermark - latenessMillis, windowMillis) - 1;
      List<VersionGroup<VersionLatency>> groups = table.groups();
      for (int g = 0; g < groups.size(); g++) {
        VersionGroup<VersionLatency> group = groups.get(g);
        List<VersionLatency> versions = group.snapshot();
        for (int i = 0; i < versions.size(); i++) {
          VersionLatency v = versions.get(i);
          if (hasWork(v, closable)) {
            judgeClosed(tenant, group, v, closable, sink);
          }
        }
      }
    }
  }

  private static boolean hasWork(VersionLatency v, long closable) {
    if (!v.displaced.isEmpty()) {
      return true;
    }
    for (int i = 0; i < VersionLatency.SLOTS; i++) {
      Slot s = v.slots.get(i);
      if (s != null && !s.judged && s.epoch <= closable) {
        return true;
      }
    }
    return false;
  }

  private void judgeClosed(String tenant, VersionGroup<VersionLatency> group, VersionLatency v,
      long closable, FindingSink sink) {
    synchronized (v) {
      for (;;) {
        // the oldest window not yet judged, among the ring and the displaced ones
        Slot next = null;
        for (Slot s : v.displaced) {
          if (!s.judged && (next == null || s.epoch < next.epoch)) {
            next = s;
          }
        }
        for (int i = 0; i < VersionLatency.SLOTS; i++) {
          Slot s = v.slots.get(i);
          if (s != null && !s.judged && s.epoch <= closable
              && (next == null || s.epoch < next.epoch)) {
            next = s;
          }
        }
        if (next == null) {
          v.displaced.removeIf(s -> s.judged);
          return;
        }
        judge(tenant, group, v, next, sink);
        next.judged = true;
        v.judgedThrough = Math.max(v.judgedThrough, next.epoch);
        v.lastJudged = next;
        v.slots.compareAndSet((int) Math.floorMod(next.epoch, (long) VersionLatency.SLOTS), next,
            null);
      }
    }
  }

  /** Judges one closed window of {@code v}; holds {@code v}'s monitor. */
  private void judge(String tenant, VersionGroup<VersionLatency> group, VersionLatency v,
      Slot slot, FindingSink sink) {
    judged.increment();
    AbstractHistogram current = slot.histogram;
    Comparison c = compare(group, v, current);
    boolean degraded = c != null && c.degraded(ratio, byMean, byP95);
    if (degraded) {
      v.degradedRun++;
      v.setHolding(true);
      sink.report(finding(tenant, v, c, slot.epoch));
    } else {
      v.degradedRun = 0;
      v.setHolding(false);
    }
    if (!degraded || v.degradedRun > baselineWindows) {
      v.absorb(slot.epoch, slot.histogram, baselineWindows);
    }
  }

  /**
   * The current distribution against the baseline, or {@code null} when either side has fewer
   * samples than the minimum. Holds {@code v}'s monitor; may take the previous version's, which
   * is always older, so monitors are taken newest first and cannot deadlock.
   */
  private Comparison compare(VersionGroup<VersionLatency> group, VersionLatency v,
      AbstractHistogram current) {
    if (current.getTotalCount() < minSamples) {
      return null;
    }
    Stats now = Stats.of(current);
    if (v.baselineStats().samples() >= minSamples) {
      return against(v, now, current);
    }
    VersionLatency previous = group.previousOf(v);
    if (previous == null) {
      return null;
    }
    synchronized (previous) {
      return previous.baselineStats().samples() >= minSamples
          ? against(previous, now, current) : null;
    }
  }

  /** Compares with {@code base}'s baseline; holds {@code base}'s monitor. */
  private Comparison against(VersionLatency base, Stats now, AbstractHistogram current) {
    Stats baseline = base.baselineStats();
    long limitMicros = (long) Math.ceil(ratio * baseline.p95() * 1000);
    double slowShare = (double) countAtOrAbove(current, limitMicros) / now.samples();
    // add-one smoothing: a baseline that never reached the limit still allows some chance
    double baselineSlowShare =
        (base.baselineCountAtOrAbove(limitMicros) + 1.0) / (baseline.samples() + 1.0);
    double meanZ = baseline.sd() <= 0 ? (now.mean() > baseline.mean() ? 1e9 : 0)
        : (now.mean() - baseline.mean()) / (baseline.sd() / Math.sqrt(now.samples()));
    return new Comparison(now, baseline, base.versionId(), slowShare, baselineSlowShare, meanZ);
  }

  static long countAtOrAbove(AbstractHistogram h, long value) {
    long max = h.getMaxValue();
    return h.getTotalCount() == 0 || value > max ? 0 : h.getCountBetweenValues(value, max);
  }

  /** The summary of one distribution, in milliseconds. */
  record Stats(long samples, double mean, double sd, double p50, double p95, double p99) {
    /** Each thread's (median, count, count added) triples of the distribution summarised. */
    private static final ThreadLocal<long[]> STEPS = ThreadLocal.withInitial(() -> new long[768]);

    /**
     * Summarises a distribution. The mean and standard deviation are those of
     * {@link AbstractHistogram#getMean} and {@link AbstractHistogram#getStdDeviation}, to the
     * last bit: the same sums of the same terms in the same order. Those two walk the recorded
     * values three times (the deviation walks them again for the mean); here one walk gathers
     * each step's terms and the sums run over them.
     */
    static Stats of(AbstractHistogram h) {
      long total = h.getTotalCount();
      double mean = 0;
      double sd = 0;
      if (total != 0) {
        long[] steps = STEPS.get();
        int n = 0;
        double sum = 0;
        for (HistogramIterationValue step : h.recordedValues()) {
          long median = h.medianEquivalentValue(step.getValueIteratedTo());
          long count = step.getCountAtValueIteratedTo();
          sum += median * (double) count;
          if (n + 3 > steps.length) {
            steps = java.util.Arrays.copyOf(steps, steps.length * 2);
            STEPS.set(steps);
          }
          steps[n] = median;
          steps[n + 1] = count;
          steps[n + 2] = step.getCountAddedInThisIterationStep();
          n += 3;
        }
        mean = (sum * 1.0) / total;
        double deviations = 0;
        for (int i = 0; i < n; i += 3) {
          double deviation = (steps[i] * 1.0) - mean;
          deviations += (deviation * deviation) * steps[i + 2];
        }
        sd = Math.sqrt(deviations / total);
      }
      return new Stats(total, mean / 1000.0, sd / 1000.0,
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0);
    }
  }

  /**
   * A window against its baseline.
   *
   * @param now the window
   * @param baseline the baseline
   * @param baselineVersionId whose baseline it is
   * @param slowShare the share of the window's execution times at or above the ratio times the
   *     baseline's p95
   * @param baselineSlowShare the same share in the baseline (add-one smoothed)
   * @param meanZ how many standard errors the window's mean lies above the baseline's
   */
  record Comparison(Stats now, Stats baseline, String baselineVersionId, double slowShare,
      double baselineSlowShare, double meanZ) {
    double p95Ratio() {
      return baseline.p95() <= 0 ? now.p95() > 0 ? Double.POSITIVE_INFINITY : 1
          : now.p95() / baseline.p95();
    }

    double meanRatio() {
      return baseline.mean() <= 0 ? now.mean() > 0 ? Double.POSITIVE_INFINITY : 1
          : now.mean() / baseline.mean();
    }

    /**
     * A ratio alone is not enough on a small window: with 50 log-normal samples of sigma 0.8,
     * the sample p95 reaches 1.5 times the true one in 6% of windows. So each route also needs
     * its shift to be improbable as chance: the tail route, that the window holds that many
     * slow execution times when the baseline makes them rare (binomial tail, Chernoff bound
     * below {@code 1e-4}); the mean route, a mean at least {@value #MEAN_Z} standard errors
     * above the baseline's.
     */
    boolean degraded(double threshold, boolean byMean, boolean byP95) {
      return (byP95 && p95Ratio() >= threshold && tailIsImprobable())
          || (byMean && meanRatio() >= threshold && meanZ >= MEAN_Z);
    }

    /** @return the ratio the chosen statistics judge by: the larger when both do */
    double judgedRatio(boolean byMean, boolean byP95) {
      double mean = byMean ? finite(meanRatio()) : 0;
      double p95 = byP95 ? finite(p95Ratio()) : 0;
      return Math.max(mean, p95);
    }

    boolean tailIsImprobable() {
      double a = slowShare;
      double q = baselineSlowShare;
      if (a <= q) {
        return false;
      }
      // P(Binomial(n, q) >= a n) <= exp(-n KL(a || q))
      double kl = a * Math.log(a / q) + (a >= 1 ? 0 : (1 - a) * Math.log((1 - a) / (1 - q)));
      return now.samples() * kl >= TAIL_LOG_ODDS;
    }
  }

  private Finding finding(String tenant, VersionLatency v, Comparison c, long epoch) {
    double p95Ratio = c.p95Ratio();
    double meanRatio = c.meanRatio();
    boolean ownBaseline = c.baselineVersionId().equals(v.versionId());
    String baselineText = ownBaseline ? "its own baseline"
        : "the baseline of the previous version " + c.baselineVersionId();
    Finding.Builder b = Finding.builder(tenant, TYPE, v.subject())
        .policy(v.module(), v.function(), v.versionId())
        .severity(Severities.ofExcess(c.judgedRatio(byMean, byP95) / ratio))
        .summary(String.format(Locale.ROOT, "Execution time of policy %s rose to p95 %s (mean %s)"
            + " over %s, %.1fx the p95 of %s (%s) and %.1fx its mean", v.subject(),
            ms(c.now().p95()), ms(c.now().mean()), Durations.human(window), p95Ratio,
            baselineText, ms(c.baseline().p95()), meanRatio))
        .metric("meanMillis", Formats.round(c.now().mean(), 3))
        .metric("p50Millis", Formats.round(c.now().p50(), 3))
        .metric("p95Millis", Formats.round(c.now().p95(), 3))
        .metric("p99Millis", Formats.round(c.now().p99(), 3))
        .metric("sampleSize", c.now().samples())
        .metric("baselineMeanMillis", Formats.round(c.baseline().mean(), 3))
        .metric("baselineP50Millis", Formats.round(c.baseline().p50(), 3))
        .metric("baselineP95Millis", Formats.round(c.baseline().p95(), 3))
        .metric("baselineP99Millis", Formats.round(c.baseline().p99(), 3))
        .metric("baselineSampleSize", c.baseline().samples())
        .metric("baselineVersionId", c.baselineVersionId())
        .metric("ratio", Formats.round(finite(p95Ratio), 3))
        .metric("meanRatio", Formats.round(finite(meanRatio), 3))
        .metric("slowShare", Formats.round(c.slowShare(), 4))
        .metric("baselineSlowShare", Formats.round(c.baselineSlowShare(), 4))
        .metric("meanZScore", Formats.round(Math.min(c.meanZ(), 1e6), 2))
        .metric("windowStart", Instant.ofEpochMilli(epoch * windowMillis))
        .metric("windowEnd", Instant.ofEpochMilli((epoch + 1) * windowMillis));
    if (!ownBaseline) {
      b.action("Roll back to the previous stable version (" + c.baselineVersionId() + ")");
    } else {
      b.action("Roll back to the previous stable version if the slowdown follows a change");
    }
    return b.action("Profile the slowest evaluations of " + v.versionId())
        .action("Check the services and data sources the policy calls for rising latency")
        .build();
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 1_000_000;
  }

  private static String ms(double millis) {
    return String.format(Locale.ROOT, "%.2f ms", millis);
  }


  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    VersionTables.Found<VersionGroup<VersionLatency>, VersionLatency> found =
        tables.find(anomaly);
    if (found == null) {
      return Reevaluation.cleared("the version " + anomaly.subject() + " is no longer tracked",
          Map.of());
    }
    VersionGroup<VersionLatency> group = found.group();
    VersionLatency v = found.version();
    long now = ScopeLookup.eventTimeNow(found.scope(), nowMillis);
    long fromEpoch = Math.floorDiv(now - windowMillis, windowMillis);
    Comparison c;
    long samples;
    synchronized (v) {
      // the live distribution over the last window: the windows being filled and the last
      // judged one, when they fall inside it
      Histogram recent = new Histogram(2);
      for (int i = 0; i < VersionLatency.SLOTS; i++) {
        Slot s = v.slots.get(i);
        if (s != null && s.epoch >= fromEpoch) {
          recent.add(s.histogram);
        }
      }
      Slot last = v.lastJudged;
      if (last != null && last.epoch >= fromEpoch && v.slots.get(
          (int) Math.floorMod(last.epoch, (long) VersionLatency.SLOTS)) != last) {
        recent.add(last.histogram);
      }
      samples = recent.getTotalCount();
      c = compare(group, v, recent);
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("sampleSize", samples);
    metrics.put("windowStart", Instant.ofEpochMilli(fromEpoch * windowMillis));
    metrics.put("windowEnd", Instant.ofEpochMilli(now));
    if (c == null) {
      v.setHolding(false);
      return Reevaluation.cleared(String.format(Locale.ROOT, "%d execution times in the last"
          + " %s, or a baseline of fewer than %d: too few to show a degradation", samples,
          Durations.human(window), minSamples), metrics);
    }
    metrics.put("p95Millis", Formats.round(c.now().p95(), 3));
    metrics.put("meanMillis", Formats.round(c.now().mean(), 3));
    metrics.put("baselineP95Millis", Formats.round(c.baseline().p95(), 3));
    metrics.put("baselineMeanMillis", Formats.round(c.baseline().mean(), 3));
    metrics.put("ratio", Formats.round(finite(c.p95Ratio()), 3));
    metrics.put("meanRatio", Formats.round(finite(c.meanRatio()), 3));
    String note = String.format(Locale.ROOT, "p95 %s is %.2fx and mean %s is %.2fx the baseline",
        ms(c.now().p95()), c.p95Ratio(), ms(c.now().mean()), c.meanRatio());
    if (c.degraded(ratio, byMean, byP95)) {
      return Reevaluation.stillHolds(note + String.format(Locale.ROOT, ", at or above %.2fx",
          ratio), metrics);
    }
    v.setHolding(false);
    return Reevaluation.cleared(note + String.format(Locale.ROOT, ", below %.2fx", ratio),
        metrics);
  }

  @Override
  public Map<String, Long> stats() {
    Map<String, Long> stats = tables.stats();
    stats.put("windowsJudged", judged.sum());
    return stats;
  }
}
