package io.batanomaly.detectors.bruteforce;

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
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.spi.TenantScope;
import io.batanomaly.window.KeyedState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts 401 responses per tenant and identifier, across the tenant's services, with an exact
 * {@link ThresholdTracker} per identifier kept in a bounded {@link KeyedState}.
 *
 * <p><b>Memory.</b> Each tenant tracks at most {@code ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS}
 * identifiers. When a new one arrives and the budget is full, identifiers whose newest failure
 * has left the window are removed, then identifiers with a single failure inside the window,
 * least recent first. An identifier with two or more failures inside the window is protected:
 * a flood of one-time identifiers cannot push a repeating attacker out. If only protected
 * identifiers are left, the newcomer is not tracked and counted as shed.
 *
 * <p>Hot path: an event whose status is not 401 costs one field read. A 401 with an identifier
 * costs one hash look-up of the identifier and the tracker's scan of k slots; a new identifier
 * allocates its tracker.
 */
final class BruteForceDetector implements Detector {
  static final String TYPE = "BRUTE_FORCE";
  static final int UNAUTHORIZED = 401;

  private final DetectorContext context;
  private final int threshold;
  private final long windowMillis;
  private final String windowText;
  private final Attachment<KeyedState<String, ThresholdTracker>> identifiers;
  private final LongAdder findings = new LongAdder();

  BruteForceDetector(DetectorContext context) {
    this.context = context;
    this.threshold = context.config().get(AnomalySettings.BRUTE_FORCE_THRESHOLD);
    this.windowMillis = context.config().get(AnomalySettings.BRUTE_FORCE_WINDOW).toMillis();
    this.windowText = Formats.duration(windowMillis);
    int budget = context.config().get(BruteForceSettings.MAX_IDENTIFIERS);
    long window = windowMillis;
    KeyedState.Policy<ThresholdTracker> policy = new KeyedState.Policy<>() {
      @Override
      public boolean isExpired(ThresholdTracker t, long now) {
        return t.newest() < now - window;
      }

      @Override
      public boolean isProtected(ThresholdTracker t, long now) {
        return t.countWithin(now - window, Long.MAX_VALUE) >= 2;
      }

      @Override
      public long lastTouched(ThresholdTracker t) {
        return t.newest();
      }
    };
    ThresholdTracker.Rule rule = ThresholdTracker.Rule.forWindow(threshold, window);
    this.identifiers = context.tenantAttachment(tenant -> new KeyedState<>(budget,
        id -> new ThresholdTracker(rule), policy));
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    if (event.status() == UNAUTHORIZED) {
      failed(event.identifier(), event.epochMillis(), scope, sink);
    }
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    for (int i = 0, n = events.size(); i < n; i++) {
      if (events.status(i) == UNAUTHORIZED) {
        failed(events.identifier(i), events.epochMillis(i), events.scope(i), sink);
      }
    }
  }

  private void failed(String identifier, long t, ServiceScope scope, FindingSink sink) {
    if (identifier == null || identifier.isEmpty()) {
      return;
    }
    KeyedState<String, ThresholdTracker> tracked = scope.tenantScope().get(identifiers);
    ThresholdTracker tracker = tracked.getOrCreate(identifier, t);
    if (tracker == null) {
      return;
    }
    boolean reached = tracker.record(t);
    // a sweep on another thread may have evicted the tracker since the look-up: keep the
    // failure just recorded (it may be the one that protects the identifier)
    tracked.keep(identifier, tracker);
    if (reached) {
      findings.increment();
      sink.report(finding(scope, identifier, tracker));
    }
  }

  private Finding finding(ServiceScope scope, String identifier, ThresholdTracker tracker) {
    Map<String, Object> evidence = CountEvidence.of(tracker, "Failure");
    long span = tracker.newest() - tracker.oldest();
    Finding.Builder b = Finding.builder(scope.tenant(), TYPE, identifier)
        .identifier(identifier)
        .service(scope.service())
        .severity(Severities.ofExcess(tracker.excess()))
        .summary("Identifier '" + identifier + "' failed authentication " + threshold
            + " times within " + Formats.duration(span) + " (rule: "
            + threshold + " in " + windowText + "; " + evidence.get("failureCount")
            + " failures since " + Formats.instant(tracker.episodeStart())
            + "), latest on service '" + scope.service() + "'")
        .metric("identifier", identifier)
        .metric("lastService", scope.service())
        .action("Block or rate-limit '" + identifier + "' at the edge if it is not a known"
            + " client")
        .action("If '" + identifier + "' is a real account, lock it and reset its credentials")
        .action("Check the tenant's other services for successful logins from the same"
            + " identifier");
    evidence.forEach(b::metric);
    return b.build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    String identifier = anomaly.identifier() != null ? anomaly.identifier() : anomaly.subject();
    TenantScope tenant = ScopeLookup.tenant(context, anomaly.tenant());
    ThresholdTracker tracker = tenant == null ? null : tenant.get(identifiers).get(identifier);
    if (tracker == null) {
      return Reevaluation.cleared("identifier '" + identifier + "' has no failure left inside"
          + " the window", Map.of("identifier", identifier));
    }
    long now = ScopeLookup.eventTimeNow(tenant, nowMillis);
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("identifier", identifier);
    evidence.putAll(CountEvidence.of(tracker, "Failure"));
    evidence.put("evaluatedAt", Formats.instant(now));
    if (tracker.holdsAt(now)) {
      return Reevaluation.stillHolds("the " + threshold + " latest failures of '" + identifier
          + "' still fall within the last " + windowText, evidence);
    }
    return Reevaluation.cleared("fewer than " + threshold + " failures of '" + identifier
        + "' fall within the last " + windowText, evidence);
  }

  @Override
  public Map<String, Long> stats() {
    long[] s = new long[4];
    context.forEachTenant(t -> {
      KeyedState<String, ThresholdTracker> state = t.get(identifiers);
      s[0] += state.size();
      s[1] += state.evictions();
      s[2] += state.expirations();
      s[3] += state.shed();
    });
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("keysTracked", s[0]);
    m.put("keysEvicted", s[1]);
    m.put("keysExpired", s[2]);
    m.put("keysShed", s[3]);
    m.put("findings", findings.sum());
    return m;
  }
}
