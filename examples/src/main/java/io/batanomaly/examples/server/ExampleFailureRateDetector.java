package io.batanomaly.examples.server;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An example of the detector SPI that reports {@code HIGH_FAILURE_RATE}: a policy version whose
 * evaluations failed at least 20% of the time over the last five complete minutes of event time,
 * with at least 100 evaluations. The example server registers it only when no detector on the
 * class path reports that type, so it shows how a host adds a rule of its own; the built-in
 * policy detectors, when present, take its place.
 *
 * <p>Per policy version it keeps two {@link BucketRing}s of one-minute buckets (evaluations and
 * failures); the first evaluation of a new minute checks the five minutes before it. The
 * baseline a finding reports is the failure rate of the last window that was below the
 * threshold. For brevity
 * it looks versions up by a string key built per event, which the built-in detectors avoid.
 */
public final class ExampleFailureRateDetector implements Detector {

  /** The type this detector reports. */
  public static final String TYPE = "HIGH_FAILURE_RATE";

  static final long BUCKET_MILLIS = 60_000;
  static final int WINDOW_BUCKETS = 5;
  static final int MIN_SAMPLES = 100;
  static final double THRESHOLD = 0.20;

  /** Registers {@link ExampleFailureRateDetector} with an engine builder. */
  public static final class Provider implements DetectorProvider {
    @Override
    public String name() {
      return "example_failure_rate";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new ExampleFailureRateDetector(context);
    }
  }

  private static final class VersionWindow {
    final String module;
    final String function;
    final String version;
    final BucketRing evaluations;
    final BucketRing failures;
    /** The failure rate of the last healthy window: the baseline a finding compares with. */
    volatile double baseline;

    VersionWindow(String module, String function, String version, long base) {
      this.module = module;
      this.function = function;
      this.version = version;
      // the window and the bucket being filled, plus one for events arriving slightly late
      this.evaluations = new BucketRing(BUCKET_MILLIS, WINDOW_BUCKETS + 2, base);
      this.failures = new BucketRing(BUCKET_MILLIS, WINDOW_BUCKETS + 2, base);
    }
  }

  private final Attachment<ConcurrentHashMap<String, VersionWindow>> versions;
  private final ConcurrentHashMap<String, VersionWindow> bySubject = new ConcurrentHashMap<>();

  private ExampleFailureRateDetector(DetectorContext context) {
    this.versions = context.serviceAttachment(scope -> new ConcurrentHashMap<>());
  }

  private static String subject(String module, String function, String version) {
    return module + "/" + function + "@" + version;
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (!event.isPolicyEvaluation() || event.outcome() == null) {
      return;
    }
    String subject = subject(event.policyModule(), event.policyFunction(), event.versionId());
    ConcurrentHashMap<String, VersionWindow> map = scope.get(versions);
    VersionWindow w = map.get(subject);
    if (w == null) {
      w = map.computeIfAbsent(subject, s -> new VersionWindow(event.policyModule(),
          event.policyFunction(), event.versionId(), event.epochMillis()));
      bySubject.putIfAbsent(scope.tenant() + "\u0000" + subject, w);
    }
    int added = w.evaluations.add(event.epochMillis());
    if (event.outcome() == Outcome.FAILURE) {
      w.failures.add(event.epochMillis());
    }
    if (added == BucketRing.OPENED) {
      long current = w.evaluations.epoch(event.epochMillis());
      check(scope, w, current, subject, sink);
    }
  }

  private void check(ServiceScope scope, VersionWindow w, long currentEpoch, String subject,
      FindingSink sink) {
    long from = currentEpoch - WINDOW_BUCKETS;
    long to = currentEpoch - 1;
    long n = w.evaluations.sum(from, to);
    long f = w.failures.sum(from, to);
    if (n < MIN_SAMPLES) {
      return;
    }
    double rate = (double) f / n;
    if (rate < THRESHOLD) {
      w.baseline = rate;
      return;
    }
    double baseline = w.baseline;
    Severity severity = rate >= 0.5 ? Severity.CRITICAL : rate >= 0.3 ? Severity.HIGH
        : Severity.MEDIUM;
    sink.report(Finding.builder(scope.tenant(), TYPE, subject)
        .service(scope.service())
        .policy(w.module, w.function, w.version)
        .severity(severity)
        .summary(String.format(java.util.Locale.ROOT,
            "%s fails %.0f%% of evaluations over %d minutes (baseline %.1f%%)", subject,
            rate * 100, WINDOW_BUCKETS, baseline * 100))
        .metric("failureRate", round(rate))
        .metric("baselineFailureRate", round(baseline))
        .metric("sampleSize", n)
        .metric("windowStart", Instant.ofEpochMilli(w.evaluations.startOf(from)))
        .metric("windowEnd", Instant.ofEpochMilli(w.evaluations.startOf(to + 1)))
        .action("Roll back to the previous stable version")
        .action("Inspect evaluation errors for pattern")
        .build());
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    VersionWindow w = bySubject.get(anomaly.tenant() + "\u0000" + anomaly.subject());
    if (w == null) {
      return Reevaluation.cleared("no evaluations of " + anomaly.subject() + " are tracked",
          Map.of());
    }
    long newest = w.evaluations.newestEpoch();
    long from = newest - WINDOW_BUCKETS + 1;
    long n = w.evaluations.sum(from, newest);
    long f = w.failures.sum(from, newest);
    double rate = n == 0 ? 0.0 : (double) f / n;
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("failureRate", round(rate));
    metrics.put("sampleSize", n);
    metrics.put("windowStart", Instant.ofEpochMilli(w.evaluations.startOf(from)));
    metrics.put("windowEnd", Instant.ofEpochMilli(w.evaluations.startOf(newest + 1)));
    String note = String.format(java.util.Locale.ROOT,
        "%s failed %.1f%% of %d evaluations in the last %d minutes", anomaly.subject(),
        rate * 100, n, WINDOW_BUCKETS);
    return n >= MIN_SAMPLES && rate >= THRESHOLD ? Reevaluation.stillHolds(note, metrics)
        : Reevaluation.cleared(note, metrics);
  }
}
