package io.batanomaly.detectors.silentservice;

import static io.batanomaly.detectors.EngineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.EngineDriver;
import io.batanomaly.detectors.Traffic;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SilentServiceDetectorTest {
  private static final long MINUTE = 60_000;
  private static final long SILENCE = 15 * MINUTE;

  private static List<Anomaly> found(EngineDriver d, String tenant) {
    return Anomalies.of(d.engine, tenant, "SILENT_SERVICE");
  }

  /** Sends one event every 30 s from {@code from} until before {@code to}; returns the last. */
  private static long active(EngineDriver d, String tenant, String service, long from, long to) {
    long last = from;
    for (long t = from; t < to; t += 30_000) {
      d.send(t, Traffic.get(tenant, service, t));
      last = t;
    }
    return last;
  }

  @Test
  void firesFromATickOnceTheSilenceReachesTheThresholdWithNoTrafficAtAll() {
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long last = active(d, "acme", "payments", T0, T0 + 30 * MINUTE);
      d.tickAt(last + SILENCE - 1);
      assertThat(found(d, "acme")).isEmpty();
      d.tickAt(last + SILENCE);
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      Anomaly a = found.get(0);
      assertThat(a.subject()).isEqualTo("payments");
      assertThat(a.metrics()).containsEntry("lastSeenAt", Instant.ofEpochMilli(last))
          .containsEntry("silentMinutes", 15L).containsEntry("activeMinutes", 30)
          .containsEntry("lookbackMinutes", 60).containsEntry("minActiveMinutes", 10);
      // active in 30 minutes where 10 are needed: 3 times the rule
      assertThat(a.severity()).isEqualTo(Severity.HIGH);
      assertThat(a.summary()).contains("'payments' has sent no events for 15m");
    }
  }

  @Test
  void firesOncePerSilenceEpisodeNotAgainAfterEachCooldown() {
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long last = active(d, "acme", "payments", T0, T0 + 30 * MINUTE);
      d.tickAt(last + SILENCE);
      Anomaly a = found(d, "acme").get(0);
      d.engine.anomalies().updateStatus("acme", a.id(),
          new StatusUpdateRequest(AnomalyStatus.DISMISSED, "known outage"), null);
      // hours of further silence, far past the 5 minute cooldown
      for (long t = last + SILENCE; t < last + 6 * 60 * MINUTE; t += 10_000) {
        d.tickAt(t);
      }
      assertThat(found(d, "acme")).hasSize(1);
    }
  }

  @Test
  void clearsTheAnomalyWhenTheServiceIsHeardAgainAndFiresForTheNextSilence() {
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long last = active(d, "acme", "payments", T0, T0 + 30 * MINUTE);
      d.tickAt(last + SILENCE);
      Anomaly a = found(d, "acme").get(0);
      long back = last + 20 * MINUTE;
      d.send(back, Traffic.get("acme", "payments", back));
      d.tickAt(back + 10_000);
      Anomaly cleared = d.engine.anomalies().get("acme", a.id());
      assertThat(cleared.status()).isEqualTo(AnomalyStatus.RESOLVED);
      HistoryEntry last1 = Anomalies.latest(cleared);
      assertThat(last1.origin()).isEqualTo(Origin.DETECTOR);
      assertThat(last1.note()).contains("heard again");
      // silent again: a new episode, judged on the activity before it
      d.tickAt(back + SILENCE);
      assertThat(found(d, "acme")).hasSize(2);
    }
  }

  @Test
  void theAnomalysOwnAlertFedBackThroughIngestDoesNotCountAsTheServiceBeingHeard() {
    // Regression: a host that logs the engine's system.alert events back through ingest moved
    // the service's "last seen", so the next tick resolved the anomaly the alert reported.
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long last = active(d, "acme", "payments", T0, T0 + 30 * MINUTE);
      d.tickAt(last + SILENCE);
      Anomaly a = found(d, "acme").get(0);
      AuditEvent alert = AuditEvent.builder().tenant("acme")
          .service("payments").epochMillis(last + SILENCE)
          .eventType(AuditEvent.ALERT_EVENT_TYPE)
          .attribute("anomalyId", a.id()).build();
      d.send(last + SILENCE + 1_000, alert);
      d.tickAt(last + SILENCE + 10_000);
      assertThat(d.engine.anomalies().get("acme", a.id()).status()).isEqualTo(AnomalyStatus.OPEN);
      // an alert naming a service never heard from creates no service to watch either
      d.send(last + SILENCE + 20_000, AuditEvent.builder().tenant("acme")
          .service("batanomaly").epochMillis(last + SILENCE + 20_000)
          .eventType(AuditEvent.ALERT_EVENT_TYPE).build());
      assertThat(d.engine.health().servicesTracked()).isEqualTo(1);
    }
  }

  @Test
  void aForwardJumpOfTheClockIsNotSilenceAndSilenceCountsAgainFromTheTickAfterIt() {
    // Regression: after a VM pause or an NTP step of hours, the first tick saw every active
    // service silent for hours and reported them all before their next events could arrive.
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long end = T0 + 30 * MINUTE;
      for (long t = T0; t < end; t += 10_000) {
        d.send(t, Traffic.get("acme", "payments", t), Traffic.get("acme", "search", t));
        d.tickAt(t + 5_000);
      }
      long jumped = end + 3 * 60 * MINUTE;
      d.tickAt(jumped);
      assertThat(found(d, "acme")).isEmpty();
      // payments sends again at once; search stays silent
      for (long t = jumped + 1_000; t < jumped + 20 * MINUTE; t += 10_000) {
        d.send(t, Traffic.get("acme", "payments", t));
        d.tickAt(t + 5_000);
        if (t + 5_000 < jumped + SILENCE) {
          assertThat(found(d, "acme")).as("at %s", t).isEmpty();
        }
      }
      // a full silence after the jump: search is reported, payments is not
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("search");
    }
  }

  @Test
  void aSilenceWhoseReportFailedIsReportedOnTheNextTick() {
    // Regression: the episode was marked reported before the report; when the report failed
    // (a store that throws), the silence was never reported.
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long last = T0;
      for (long t = T0; t < T0 + 30 * MINUTE; t += 30_000) {
        d.send(t, Traffic.get("acme", "payments", t));
        d.tickAt(t + 10_000);
        last = t;
      }
      d.clock.advanceTo(Instant.ofEpochMilli(last + SILENCE));
      io.batanomaly.spi.FindingSink failing = new io.batanomaly.spi.FindingSink() {
        @Override
        public void report(io.batanomaly.spi.Finding finding) {
          throw new IllegalStateException("store down");
        }

        @Override
        public void clear(String tenant, String type, String subject, String reason) {
          throw new IllegalStateException("store down");
        }
      };
      io.batanomaly.spi.Detector detector = d.engine.detector("silent_service");
      long silentAt = last + SILENCE;
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> detector.tick(silentAt, failing)).hasMessage("store down");
      assertThat(found(d, "acme")).isEmpty();

      d.tickAt(last + SILENCE + 10_000);
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("payments");
    }
  }

  @Test
  void countsAServiceAsActiveFromTenActiveMinutesInTheLastHour() {
    try (EngineDriver ten = new EngineDriver(new SilentServiceProvider());
        EngineDriver nine = new EngineDriver(new SilentServiceProvider())) {
      for (int m = 0; m < 10; m++) {
        long t = T0 + m * 5 * MINUTE + 30_000;
        ten.send(t, Traffic.get("acme", "jobs", t));
        if (m < 9) {
          nine.send(t, Traffic.get("acme", "jobs", t));
        }
      }
      long lastTen = T0 + 45 * MINUTE + 30_000;
      long lastNine = T0 + 40 * MINUTE + 30_000;
      ten.tickAt(lastTen + SILENCE);
      nine.tickAt(lastNine + SILENCE);
      assertThat(found(ten, "acme")).hasSize(1);
      assertThat(found(ten, "acme").get(0).severity()).isEqualTo(Severity.LOW);
      assertThat(found(nine, "acme")).isEmpty();
      // and the sparse service is not judged again for the same silence later on
      nine.tickAt(lastNine + 2 * SILENCE);
      assertThat(found(nine, "acme")).isEmpty();
    }
  }

  @Test
  void neverReportsASparseService() {
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      // three events an hour for six hours, ticking every 10 s throughout
      long next = T0;
      for (long t = T0; t < T0 + 6 * 60 * MINUTE; t += 10_000) {
        if (t >= next) {
          d.send(t, Traffic.get("acme", "nightly", t));
          next += 20 * MINUTE;
        }
        d.tickAt(t);
      }
      assertThat(found(d, "acme")).isEmpty();
      // the same service once regularly active is reported when it falls silent
      long end = T0 + 6 * 60 * MINUTE;
      long last = end;
      for (long t = end; t < end + 30 * MINUTE; t += 30_000) {
        d.send(t, Traffic.get("acme", "nightly", t));
        d.tickAt(t + 10_000);
        last = t;
      }
      d.tickAt(last + SILENCE);
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("nightly");
    }
  }

  @Test
  void keepsTenantsApart() {
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      active(d, "acme", "payments", T0, T0 + 30 * MINUTE);
      active(d, "globex", "payments", T0, T0 + 60 * MINUTE);
      d.tickAt(T0 + 60 * MINUTE);
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("payments");
      assertThat(found(d, "globex")).isEmpty();
    }
  }

  @Test
  void verificationKeepsTheAnomalyOpenWhileTheServiceIsSilent() {
    try (EngineDriver d = new EngineDriver(new SilentServiceProvider())) {
      long last = active(d, "acme", "payments", T0, T0 + 30 * MINUTE);
      d.tickAt(last + SILENCE);
      Anomaly a = found(d, "acme").get(0);
      Anomaly verified = Anomalies.verify(d.engine, a);
      assertThat(verified.status()).isEqualTo(AnomalyStatus.OPEN);
      assertThat(Anomalies.latest(verified).note())
          .contains("has sent nothing for 15m");
    }
  }
}
