package io.batanomaly.detectors.errorrate;

import io.batanomaly.AnomalySettings;
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
 * Tracks, per tenant and service, the responses (events with an HTTP status) and the error
 * responses (status 400 to 599) in two {@link BucketRing}s over event time. Events without an
 * HTTP status, such as policy evaluations, are not responses and are not counted.
 *
 * <h2>Window</h2>
 *
 * <p>The window W is cut into buckets: W / 60 wide when W is a whole number of minutes (5 s at
 * the default 300 s), 1 s otherwise, so W is always a whole number of buckets. The rule is
 * judged each time a service's bucket closes (the first event of the next bucket opens it):
 * over the W / bucket buckets ending with the closed one, with {@code total} responses of which
 * {@code errors} are errors, it holds when
 *
 * <pre>{@code total >= ANOMALY_ERROR_RATE_MIN_EVENTS  and  100 * errors / total > threshold}</pre>
 *
 * <p>So a condition that lasts is reported at most once per bucket, and the gate turns the
 * repeats into updates of one anomaly. Events up to the allowed lateness late are counted into
 * their own bucket. When a service's traffic stops, no bucket opens: the engine tick then
 * judges the buckets that have closed by the tenant's watermark minus the allowed lateness,
 * and, without claiming them, those closed by its estimated event time (see
 * {@link ScopeLookup#eventTimeNow}), so a burst of errors followed by silence is still
 * reported, and a backlog that arrives after a pause still has its buckets judged as they
 * close. A bucket is judged once by an event or the watermark, whichever comes first, and at
 * most once more by the tick's estimate.
 *
 * <p>Hot path: one attachment read (both rings live in one state object) and one CAS per
 * event, two for an error; for a batch, the same per run of a service's responses within one
 * bucket ({@link ServiceRuns}). Judging the bucket closed by a new one carries the window's
 * sums over from the bucket before and reads four slots, unless late events changed a bucket
 * carried over ({@link ResponseWindow}); the tick's judges read 2 × W / bucket slots. Judging
 * allocates only when the rule holds.
 */
final class ErrorRateDetector implements Detector {
  static final String TYPE = "ERROR_RATE";

  private final DetectorContext context;
  private final double thresholdPercent;
  private final long windowMillis;
  private final String windowText;
  private final long bucketMillis;
  private final int windowBuckets;
  private final int minEvents;
  private final long latenessMillis;
  private final Attachment<ResponseWindow> windows;
  private final LongAdder evaluations = new LongAdder();
  private final LongAdder findings = new LongAdder();

  ErrorRateDetector(DetectorContext context) {
    this.context = context;
    this.thresholdPercent = context.config().get(AnomalySettings.ERROR_RATE_THRESHOLD);
    this.windowMillis = context.config().get(AnomalySettings.ERROR_RATE_WINDOW).toMillis();
    this.windowText = Formats.duration(windowMillis);
    this.minEvents = context.config().get(ErrorRateSettings.MIN_EVENTS);
    this.bucketMillis = bucketMillisFor(windowMillis);
    this.windowBuckets = (int) (windowMillis / bucketMillis);
    this.latenessMillis = context.allowedLateness().toMillis();
    int slots = BucketRing.bucketsFor(windowMillis, context.allowedLateness().toMillis(),
        bucketMillis);
    this.windows = context.serviceAttachment(scope -> {
      long base = context.clock().millis();
      return new ResponseWindow(new BucketRing(bucketMillis, slots, base),
          new BucketRing(bucketMillis, slots, base));
    });
  }

  /**
   * Chooses the bucket width: a sixtieth of the window when the window is whole minutes, else
   * one second.
   */
  static long bucketMillisFor(long windowMillis) {
    return windowMillis % 60_000 == 0 ? windowMillis / 60 : 1000;
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.status() != 0) {
      observe(event.epochMillis(), event.isError(), scope, sink);
    }
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    // a run of a service's responses within one bucket is added in one CAS per ring (see
    // ServiceRuns); the documented ratio is over responses: an event without an HTTP status
    // (such as a policy evaluation) is neither a success nor an error
    ServiceRuns runs = ServiceRuns.get(events);
    try {
      runs.cutResponses(events, bucketMillis);
      for (int r = 0, n = runs.size(); r < n; r++) {
        ServiceScope scope = runs.scope(r);
        ResponseWindow w = scope.get(windows);
        long bucketStart = runs.bucketStart(r);
        if (w.add(bucketStart, runs.events(r), runs.errors(r)) == BucketRing.OPENED) {
          bucketOpened(w, w.all.epoch(bucketStart), scope, sink);
        }
      }
    } finally {
      runs.release();
    }
  }

  private void observe(long t, boolean error, ServiceScope scope, FindingSink sink) {
    ResponseWindow w = scope.get(windows);
    if (w.add(t, 1, error ? 1 : 0) == BucketRing.OPENED) {
      bucketOpened(w, w.all.epoch(t), scope, sink);
    }
  }

  /**
   * Judges the bucket before a newly opened one, unless it has been judged already, with the
   * sums carried over from the bucket before it where they still hold ({@link ResponseWindow}).
   */
  private void bucketOpened(ResponseWindow w, long epoch, ServiceScope scope, FindingSink sink) {
    w.opened(epoch);
    long closed = epoch - 1;
    if (!w.claim(closed)) {
      return;
    }
    evaluations.increment();
    Map<String, Object> evidence;
    if (w.carry(closed, windowBuckets)) {
      try {
        evidence = judge(w, closed, false, w.total(), w.errorCount());
      } finally {
        w.release();
      }
    } else {
      evidence = judge(w, closed, false);
    }
    if (evidence != null) {
      findings.increment();
      sink.report(finding(scope, evidence));
    }
  }

  /** Judges the window ending with bucket {@code closed} unless it has been judged already. */
  private void judgeOnce(ResponseWindow w, long closed, ServiceScope scope, FindingSink sink) {
    if (w.claim(closed)) {
      evaluations.increment();
      Map<String, Object> evidence = judge(w, closed, false);
      if (evidence != null) {
        findings.increment();
        sink.report(finding(scope, evidence));
      }
    }
  }

  @Override
  public void tick(long nowMillis, FindingSink sink) {
    context.forEachTenant(tenant -> {
      long watermark = tenant.maxEventTime();
      if (watermark == Long.MIN_VALUE) {
        return;
      }
      long eventNow = ScopeLookup.eventTimeNow(tenant, nowMillis);
      tenant.forEachService(scope -> {
        ResponseWindow w = scope.get(windows);
        // buckets closed by the watermark past the allowed lateness can take no more events:
        // judged for good. Beyond them, up to the estimated event time, the tick judges without
        // claiming, so a backlog that fills them after a pause still has each judged as it
        // closes; each such bucket is judged by the tick once.
        long closed = w.all.epoch(watermark - latenessMillis) - 1;
        judgeOnce(w, closed, scope, sink);
        long ahead = w.all.epoch(eventNow - latenessMillis) - 1;
        if (ahead > closed && w.estimated.claim(ahead)) {
          evaluations.increment();
          Map<String, Object> evidence = judge(w, ahead, false);
          if (evidence != null) {
            findings.increment();
            sink.report(finding(scope, evidence));
          }
        }
      });
    });
  }

  /**
   * Judges the window ending with bucket {@code lastEpoch}.
   *
   * @param always return the evidence even when the rule does not hold
   * @return the evidence, or {@code null} when the rule does not hold and {@code always} is off
   */
  Map<String, Object> judge(ResponseWindow w, long lastEpoch, boolean always) {
    long first = lastEpoch - windowBuckets + 1;
    return judge(w, lastEpoch, always, w.all.sum(first, lastEpoch),
        w.errors.sum(first, lastEpoch));
  }

  /**
   * Judges the window ending with bucket {@code lastEpoch}, whose sums the caller has.
   *
   * @param total the responses in the window
   * @param errors the error responses among them
   * @return the evidence, or {@code null} when the rule does not hold and {@code always} is off
   */
  Map<String, Object> judge(ResponseWindow w, long lastEpoch, boolean always, long total,
      long errors) {
    long first = lastEpoch - windowBuckets + 1;
    boolean holds = total >= minEvents && errors * 100.0 / total > thresholdPercent;
    if (!holds && !always) {
      return null;
    }
    double rate = total == 0 ? 0 : errors * 100.0 / total;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("holds", holds);
    m.put("errorRatePercent", Formats.round(rate, 2));
    m.put("thresholdPercent", Formats.round(thresholdPercent, 2));
    m.put("errorCount", errors);
    m.put("eventCount", total);
    m.put("minEvents", minEvents);
    m.put("windowStart", Formats.instant(w.all.startOf(first)));
    m.put("windowEnd", Formats.instant(w.all.startOf(lastEpoch + 1)));
    m.put("bucketSeconds", Formats.round(bucketMillis / 1000.0, 3));
    m.put("excess", Formats.round(rate / thresholdPercent, 2));
    return m;
  }

  private Finding finding(ServiceScope scope, Map<String, Object> evidence) {
    evidence.remove("holds");
    double rate = ((Number) evidence.get("errorRatePercent")).doubleValue();
    Finding.Builder b = Finding.builder(scope.tenant(), TYPE, scope.service())
        .service(scope.service())
        .severity(Severities.ofExcess(rate / thresholdPercent))
        .summary(Formats.oneDecimal(rate) + "% of the requests to service '" + scope.service()
            + "' failed in the last " + windowText + " ("
            + evidence.get("errorCount") + " of " + evidence.get("eventCount")
            + " with 4xx/5xx; threshold " + Formats.oneDecimal(thresholdPercent) + "%)")
        .metric("service", scope.service())
        .action("Check whether a deployment of '" + scope.service()
            + "' went out just before the errors began, and roll it back if so")
        .action("Break the errors down by status: 5xx points to the service or its"
            + " dependencies, 4xx to clients or a changed contract")
        .action("Check the health of the downstream services '" + scope.service()
            + "' depends on");
    evidence.forEach(b::metric);
    return b.build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    return ScopeLookup.reevaluateService(context, anomaly, nowMillis, (scope, service, now) -> {
      ResponseWindow w = scope.get(windows);
      Map<String, Object> evidence = judge(w, w.all.epoch(now), true);
      boolean holds = (Boolean) evidence.remove("holds");
      String rate = Formats.oneDecimal(((Number) evidence.get("errorRatePercent")).doubleValue());
      if (holds) {
        return Reevaluation.stillHolds("the error rate of '" + service + "' is still " + rate
            + "% over the last " + windowText, evidence);
      }
      return Reevaluation.cleared("the error rate of '" + service + "' is " + rate + "% over "
          + evidence.get("eventCount") + " events in the last " + windowText
          + ", within the rule", evidence);
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
