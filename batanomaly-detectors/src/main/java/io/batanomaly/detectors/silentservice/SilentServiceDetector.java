package io.batanomaly.detectors.silentservice;

import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.Severity;
import io.batanomaly.detectors.internal.Formats;
import io.batanomaly.detectors.internal.ScopeLookup;
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
 * Watches for services that stop sending, by the engine clock (processing time), so it fires
 * even when no event arrives at all.
 *
 * <h2>Was the service active?</h2>
 *
 * <p>Each service keeps a ring of one-minute buckets over the engine clock marking the minutes
 * in which it was heard. A service counts as regularly active when at least
 * {@code ANOMALY_SILENT_SERVICE_MIN_ACTIVE_MINUTES} of the
 * {@code ANOMALY_SILENT_SERVICE_LOOKBACK_MINUTES} minutes up to its last event had events (10
 * of 60 by default). A service heard only a few times an hour never qualifies.
 *
 * <h2>Episodes</h2>
 *
 * <p>On each tick, a service silent for {@code ANOMALY_SILENT_SERVICE_MINUTES} is judged once
 * for that silence: reported if it was active, otherwise left alone. It is not reported again
 * until it has been heard and falls silent anew, whatever happens to the anomaly meanwhile.
 * When it is heard again, the next tick clears the anomaly (RESOLVED by the detector).
 *
 * <h2>Clock jumps</h2>
 *
 * <p>Two ticks more than {@code ANOMALY_SILENT_SERVICE_MINUTES} apart mean the engine did not
 * observe that time (a VM pause, a suspended host, an NTP step forward): no service could be
 * heard in it, so it is not silence. Silence then counts from the tick after the jump, and a
 * service silent for a full threshold after it is reported as usual. Jumps are counted
 * ({@code clockJumps}).
 *
 * <p>Severity: excess = active minutes / {@code ANOMALY_SILENT_SERVICE_MIN_ACTIVE_MINUTES},
 * mapped by {@link Severities}: a service heard in every minute of the last hour that stops is
 * CRITICAL.
 *
 * <p>Hot path: one attachment read and one comparison per event; once a minute per service,
 * one CAS on the minute ring.
 */
final class SilentServiceDetector implements Detector {
  static final String TYPE = "SILENT_SERVICE";
  static final long MINUTE = 60_000;

  private final DetectorContext context;
  private final long silenceMillis;
  private final int lookbackMinutes;
  private final int minActiveMinutes;
  private final Attachment<Presence> presences;
  private final LongAdder findings = new LongAdder();
  private final LongAdder cleared = new LongAdder();
  private final LongAdder clockJumps = new LongAdder();
  /** The engine clock of the previous tick. Tick thread only (ticks never overlap). */
  private long lastTick = Long.MIN_VALUE;
  /** The first tick after a forward jump of the clock, or MIN_VALUE. */
  private volatile long resumedAt = Long.MIN_VALUE;

  SilentServiceDetector(DetectorContext context) {
    this.context = context;
    this.silenceMillis = context.config().get(AnomalySettings.SILENT_SERVICE_MINUTES).toMillis();
    this.lookbackMinutes = context.config().get(SilentServiceSettings.LOOKBACK_MINUTES);
    this.minActiveMinutes = context.config().get(SilentServiceSettings.MIN_ACTIVE_MINUTES);
    if (minActiveMinutes > lookbackMinutes) {
      throw new IllegalArgumentException(SilentServiceSettings.MIN_ACTIVE_MINUTES.key()
          + " must be at most " + SilentServiceSettings.LOOKBACK_MINUTES.key() + " ("
          + lookbackMinutes + "), but was '" + minActiveMinutes + "'");
    }
    int slots = lookbackMinutes + 2;
    this.presences = context.serviceAttachment(
        scope -> new Presence(new BucketRing(MINUTE, slots, context.clock().millis())));
  }

  /** The minutes one service was heard in, and the state of its current silence episode. */
  static final class Presence {
    final BucketRing minutes;
    /** Start of the next minute to mark: a plain compare on the hot path. */
    private volatile long nextMinuteStart = Long.MIN_VALUE;
    /** The last-seen time of the silence already judged, or MIN_VALUE. Tick thread only. */
    long judgedSilence = Long.MIN_VALUE;
    /** The last-seen time of the silence reported, or MIN_VALUE. Tick thread only. */
    long reportedSilence = Long.MIN_VALUE;

    Presence(BucketRing minutes) {
      this.minutes = minutes;
    }

    void heard(long seenMillis) {
      if (seenMillis >= nextMinuteStart) {
        minutes.add(seenMillis);
        nextMinuteStart = Math.floorDiv(seenMillis, MINUTE) * MINUTE + MINUTE;
      }
    }

    int activeMinutes(long lastSeen, int lookback) {
      long last = minutes.epoch(lastSeen);
      int active = 0;
      for (long e = last - lookback + 1; e <= last; e++) {
        if (minutes.count(e) > 0) {
          active++;
        }
      }
      return active;
    }
  }

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
    scope.get(presences).heard(scope.lastSeenMillis());
  }

  @Override
  public void observe(AcceptedEvents events, FindingSink sink) {
    // every event of a service in one batch is heard at the same processing time (the batch's):
    // each service of the batch once is enough
    for (int k = 0, n = events.serviceCount(); k < n; k++) {
      ServiceScope scope = events.serviceScope(k);
      scope.get(presences).heard(scope.lastSeenMillis());
    }
  }

  @Override
  public void tick(long nowMillis, FindingSink sink) {
    // Ticks more than a silence apart mean the engine was not running (a VM pause, a suspended
    // host) or the clock stepped forward: that time was not observed, and no service had a
    // chance to be heard in it. Silence counts again from this tick.
    if (lastTick != Long.MIN_VALUE && nowMillis - lastTick > silenceMillis) {
      resumedAt = nowMillis;
      clockJumps.increment();
    }
    lastTick = nowMillis;
    // one service whose report fails (the store is down) must not stop the others' checks;
    // the first failure is rethrown once every service was checked, for the engine to count
    RuntimeException[] failed = {null};
    context.forEachTenant(tenant -> tenant.forEachService(scope -> {
      try {
        check(scope, nowMillis, sink);
      } catch (RuntimeException e) {
        if (failed[0] == null) {
          failed[0] = e;
        }
      }
    }));
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  /** @return since when a service last seen at {@code lastSeen} counts as silent */
  private long silentSince(long lastSeen) {
    return Math.max(lastSeen, resumedAt);
  }

  private void check(ServiceScope scope, long now, FindingSink sink) {
    Presence p = scope.get(presences);
    long lastSeen = scope.lastSeenMillis();
    if (p.reportedSilence != Long.MIN_VALUE && lastSeen > p.reportedSilence) {
      sink.clear(scope.tenant(), TYPE, scope.service(), "service '" + scope.service()
          + "' was heard again at " + Formats.instant(lastSeen));
      // marked only once the clear went through: a failed one is tried again next tick
      p.reportedSilence = Long.MIN_VALUE;
      cleared.increment();
    }
    if (now - silentSince(lastSeen) < silenceMillis || p.judgedSilence == lastSeen) {
      return;
    }
    int active = p.activeMinutes(lastSeen, lookbackMinutes);
    if (active < minActiveMinutes) {
      p.judgedSilence = lastSeen;
      return;
    }
    sink.report(finding(scope, lastSeen, now, active));
    // marked only once the report went through: if the store failed, the silence is judged
    // and reported again on the next tick
    p.judgedSilence = lastSeen;
    p.reportedSilence = lastSeen;
    findings.increment();
  }

  private Map<String, Object> evidence(String service, long lastSeen, long now, int active) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("lastSeenAt", Formats.instant(lastSeen));
    m.put("silentMinutes", (now - lastSeen) / MINUTE);
    m.put("thresholdMinutes", silenceMillis / MINUTE);
    if (active >= 0) {
      m.put("activeMinutes", active);
      m.put("lookbackMinutes", lookbackMinutes);
      m.put("minActiveMinutes", minActiveMinutes);
    }
    m.put("checkedAt", Formats.instant(now));
    return m;
  }

  private Finding finding(ServiceScope scope, long lastSeen, long now, int active) {
    Severity severity = Severities.ofExcess((double) active / minActiveMinutes);
    Finding.Builder b = Finding.builder(scope.tenant(), TYPE, scope.service())
        .service(scope.service())
        .severity(severity)
        .summary("Service '" + scope.service() + "' has sent no events for "
            + Formats.duration((now - lastSeen) / MINUTE * MINUTE) + " (since "
            + Formats.instant(lastSeen) + "), after events in " + active + " of the "
            + lookbackMinutes + " minutes before")
        .action("Check whether '" + scope.service() + "' is running and healthy")
        .action("Check the network path and credentials '" + scope.service()
            + "' uses to send audit events")
        .action("If '" + scope.service() + "' was retired on purpose, resolve this anomaly");
    evidence(scope.service(), lastSeen, now, active).forEach(b::metric);
    return b.build();
  }

  @Override
  public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
    String service = ScopeLookup.serviceOf(anomaly);
    ServiceScope scope = ScopeLookup.service(context, anomaly.tenant(), service);
    if (scope == null) {
      return Reevaluation.stillHolds("service '" + service + "' has not been heard since it"
          + " was reported", Map.of("service", service));
    }
    long lastSeen = scope.lastSeenMillis();
    Map<String, Object> evidence = evidence(service, lastSeen, nowMillis, -1);
    if (nowMillis - silentSince(lastSeen) >= silenceMillis) {
      return Reevaluation.stillHolds("service '" + service + "' has sent nothing for "
          + Formats.duration((nowMillis - lastSeen) / MINUTE * MINUTE), evidence);
    }
    return Reevaluation.cleared("service '" + service + "' was heard at "
        + Formats.instant(lastSeen), evidence);
  }

  @Override
  public Map<String, Long> stats() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("keysTracked", ScopeLookup.serviceCount(context));
    m.put("findings", findings.sum());
    m.put("cleared", cleared.sum());
    m.put("clockJumps", clockJumps.sum());
    return m;
  }
}
