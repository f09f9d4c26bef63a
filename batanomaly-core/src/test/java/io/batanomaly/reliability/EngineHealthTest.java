package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.event;
import static io.batanomaly.reliability.TestEngines.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.RejectReason;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The health snapshot reports what happened, field by field, so a host can export it. */
class EngineHealthTest {
  private final ManualClock clock = new ManualClock(T0);
  private final AnomalyEngine engine = TestEngines.engine(clock);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void everyFieldOfTheSnapshotCountsWhatHappened() {
    List<AuditEvent> batch = new ArrayList<>(Arrays.asList(
        event("acme", "billing", T0),
        event("acme", "auth", T0.minusSeconds(1)),
        event("globex", "billing", T0),
        trigger("acme", "billing", T0),
        trigger("globex", "search", T0),
        null,
        AuditEvent.builder().tenant(" ").service("billing").timestamp(T0).build(),
        AuditEvent.builder().tenant("acme").service("billing").timestamp(T0).status(700).build(),
        event("acme", "billing", T0.minusSeconds(60))));
    engine.ingest(batch);
    engine.ingest(List.of(trigger("acme", "billing", T0.plusSeconds(1))));
    String globexId = engine.anomalies().list("globex", io.batanomaly.api.AnomalyQuery.defaults())
        .content().get(0).id();
    engine.anomalies().updateStatus("globex", globexId,
        new StatusUpdateRequest(AnomalyStatus.RESOLVED, "handled"), null);
    engine.ingest(List.of(trigger("globex", "search", T0.plusSeconds(2))));
    clock.advance(Duration.ofSeconds(5));

    EngineHealth h = engine.health();

    assertThat(h.at()).isEqualTo(T0.plusSeconds(5));
    assertThat(h.eventsAccepted()).isEqualTo(7);
    assertThat(h.eventsRejected()).containsOnly(
        java.util.Map.entry(RejectReason.NULL_EVENT, 1L),
        java.util.Map.entry(RejectReason.MISSING_TENANT, 1L),
        java.util.Map.entry(RejectReason.INVALID_STATUS, 1L),
        java.util.Map.entry(RejectReason.LATE, 1L));
    assertThat(h.eventsRejectedTotal()).isEqualTo(4);
    assertThat(h.batches()).isEqualTo(3);
    assertThat(h.tenantsTracked()).isEqualTo(2);
    assertThat(h.servicesTracked()).isEqualTo(4);
    assertThat(h.scopesEvicted()).isZero();
    assertThat(h.anomaliesOpened()).isEqualTo(2);
    assertThat(h.findingsDeduplicated()).isEqualTo(1);
    assertThat(h.findingsSuppressed()).isEqualTo(1);
    assertThat(h.anomaliesActive()).isEqualTo(1);
    assertThat(h.verificationsPending()).isZero();
    assertThat(h.listenerQueueDepth()).isZero();
    assertThat(h.notificationsDropped()).isZero();
    assertThat(h.detectorErrors()).isZero();
    assertThat(h.detectors()).containsOnlyKeys(RecordingDetector.NAME);
    assertThat(h.detectors().get(RecordingDetector.NAME)).containsEntry("observed", 7L);
  }

  @Test
  void aSnapshotIsImmutableAndLaterActivityDoesNotChangeIt() {
    engine.ingest(Arrays.asList(event("acme", "billing", T0), null));
    EngineHealth before = engine.health();

    engine.ingest(Arrays.asList(event("acme", "billing", T0), null));

    assertThat(before.eventsAccepted()).isEqualTo(1);
    assertThat(before.eventsRejected()).containsEntry(RejectReason.NULL_EVENT, 1L);
    assertThat(engine.health().eventsAccepted()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> before.eventsRejected().put(RejectReason.LATE, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
