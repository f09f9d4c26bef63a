package io.batanomaly.detectors.massdelete;

import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.detectors.internal.CountEvidence;
import io.batanomaly.detectors.internal.Formats;
import io.batanomaly.detectors.internal.ScopeLookup;
import io.batanomaly.detectors.internal.Severities;
import io.batanomaly.detectors.internal.ThresholdTracker;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.Attachment;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts DELETE requests per tenant and service with an exact {@link ThresholdTracker}: the
 * rule holds when the {@code k} latest DELETEs of a service lie within W of each other. A
 * service's tracker is created on its first DELETE, so services that never delete cost
 * nothing. While the rule holds it is reported at most once per report step of
 * {@link ThresholdTracker.Rule#forWindow}; the engine's gate turns repeats into updates of one
 * anomaly.
 *
 * <p>Hot path: a non-DELETE event costs one field read. A DELETE costs one attachment read and
 * the tracker's scan of k slots; nothing is allocated.
 */
final class MassDeleteDetector implements Detector {
  static final String TYPE = "MASS_DELETE";

  private final DetectorContext context;
  private final int threshold;
  private final long windowMillis;
  private final String windowText;
  private final Attachment<ThresholdTracker> trackers;
  private final LongAdder findings = new LongAdder();

  MassDeleteDetector(DetectorContext context) {
    this.context = context;
    this.threshold = context.config().get(AnomalySettings.MASS_DELETE_THRESHOLD);
    this.windowMillis = context.config().get(AnomalySettings.MASS_DELETE_WINDOW).toMillis();
    this.windowText = Formats.duration(windowMillis);
    ThresholdTracker.Rule rule = ThresholdTracker.Rule.forWindow(threshold, windowMillis);
    this.trackers = context.serviceAttachment(scope -> new ThresholdTracker(rule));
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.isDelete()) {
      deleted(event.epochMillis(), scope, sink);
    }
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    for (int i = 0, n = events.size(); i < n; i++) {
      if (events.isDelete(i)) {
        deleted(events.epochMillis(i), events.scope(i), sink);
      }
    }
  }

  private void deleted(long t, ServiceScope scope, FindingSink sink) {
    ThresholdTracker tracker = scope.get(trackers);
    if (tracker.record(t)) {
      findings.increment();
      sink.report(finding(scope, tracker));
    }
  }

  private Finding finding(ServiceScope scope, ThresholdTracker tracker) {
    Map<String, Object> evidence = CountEvidence.of(tracker, "Delete");
    long span = tracker.newest() - tracker.oldest();
    Finding.Builder b = Finding.builder(scope.tenant(), TYPE, scope.service())
        .service(scope.service())
        .severity(Severities.ofExcess(tracker.excess()))
        .summary("Service '" + scope.service() + "' received " + threshold
            + " DELETE requests within " + Formats.duration(span)
            + " (rule: " + threshold + " in " + windowText + "; " + evidence.get("deleteCount")
            + " since " + Formats.instant(tracker.episodeStart()) + ")")
        .metric("service", scope.service())
        .action("Confirm with the owners of '" + scope.service()
            + "' whether a bulk delete was planned")
        .action("Find the identifiers issuing the DELETE requests and suspend any that should"
            + " not delete in bulk")
        .action("If the deletion was not intended, stop it and restore the data from backup");
    evidence.forEach(b::metric);
    return b.build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    return ScopeLookup.reevaluateService(context, anomaly, nowMillis, (scope, service, now) -> {
      ThresholdTracker tracker = scope.get(trackers);
      Map<String, Object> evidence = new LinkedHashMap<>(CountEvidence.of(tracker, "Delete"));
      evidence.put("evaluatedAt", Formats.instant(now));
      if (tracker.holdsAt(now)) {
        return Reevaluation.stillHolds("the " + threshold + " latest DELETE requests of '"
            + service + "' still fall within the last " + windowText,
            evidence);
      }
      return Reevaluation.cleared("fewer than " + threshold + " DELETE requests of '" + service
          + "' fall within the last " + windowText, evidence);
    });
  }

  @Override
  public Map<String, Long> stats() {
    return Map.of("keysTracked", ScopeLookup.serviceCount(context), "findings", findings.sum());
  }
}
