package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.event;
import static io.batanomaly.reliability.TestEngines.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.RejectReason;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.Origin;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine clock jumping forward hours and back minutes, events from the far future and past,
 * and tick storms: nothing fires spuriously, nothing throws, and events are judged by the
 * documented rules.
 */
@Timeout(30)
class TimeFaultsTest {
  private final ManualClock clock = new ManualClock(T0);
  private final List<AnomalyEngine> engines = new ArrayList<>();

  @AfterEach
  void close() {
    engines.forEach(AnomalyEngine::close);
  }

  private AnomalyEngine engine() {
    AnomalyEngine e = TestEngines.engine(clock);
    engines.add(e);
    return e;
  }

  @Test
  void aFarPastEventIsRejectedAsTooOldAndLaterEventsOfItsTenantStillCount() {
    // Regression: an event at the oldest representable time used to be accepted as the tenant's
    // first event; "watermark - lateness" then overflowed and every later event was rejected
    // as late, and windows were based at an absurd time.
    AnomalyEngine engine = engine();
    IngestResult r = engine.ingest(List.of(
        AuditEvent.builder().tenant("acme").service("billing").epochMillis(Long.MIN_VALUE + 1)
            .build(),
        AuditEvent.builder().tenant("acme").service("billing").timestamp(Instant.MIN).build(),
        event("acme", "billing", T0.minus(Duration.ofDays(3650)))));

    assertThat(r.accepted()).isZero();
    assertThat(r.rejected()).extracting(x -> x.reason())
        .containsOnly(RejectReason.TIMESTAMP_TOO_OLD);
    assertThat(r.rejected().get(2).message())
        .contains("ANOMALY_MAX_EVENT_AGE").contains("2016-03-");

    IngestResult next = engine.ingest(List.of(event("acme", "billing", T0)));
    assertThat(next.accepted()).isEqualTo(1);
    assertThat(TestEngines.recorder(engine).observed.sum()).isEqualTo(1);
  }

  @Test
  void anEventAsOldAsTheMaximumAgeIsStillAccepted() {
    AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_MAX_EVENT_AGE", "1h").build(), Runnable::run, List.of());
    engines.add(engine);

    IngestResult r = engine.ingest(List.of(
        event("acme", "billing", T0.minus(Duration.ofHours(1))),
        event("globex", "billing", T0.minus(Duration.ofHours(1)).minusMillis(1))));

    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).singleElement()
        .satisfies(x -> assertThat(x.reason()).isEqualTo(RejectReason.TIMESTAMP_TOO_OLD));
  }

  @Test
  void aFarFutureEventIsRejectedAndDoesNotMoveTheWatermark() {
    AnomalyEngine engine = engine();
    IngestResult r = engine.ingest(List.of(
        event("acme", "billing", T0.plus(Duration.ofDays(365))),
        AuditEvent.builder().tenant("acme").service("billing").epochMillis(Long.MAX_VALUE)
            .build(),
        AuditEvent.builder().tenant("acme").service("billing").timestamp(Instant.MAX).build()));
    assertThat(r.rejected()).extracting(x -> x.reason())
        .containsOnly(RejectReason.TIMESTAMP_IN_FUTURE);

    assertThat(engine.ingest(List.of(event("acme", "billing", T0))).accepted()).isEqualTo(1);
    assertThat(engine.health().eventsRejected())
        .containsEntry(RejectReason.TIMESTAMP_IN_FUTURE, 3L)
        .doesNotContainKey(RejectReason.LATE);
  }

  @Test
  void theClockJumpingHoursAheadAndMinutesBackFiresNothingAndThrowsNothing() {
    AnomalyEngine engine = engine();
    long accepted = 0;
    long late = 0;
    long expectedLate = 0;
    long newest = Long.MIN_VALUE;
    for (int round = 0; round < 20; round++) {
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Instant at = clock.instant().minusMillis(i);
        batch.add(event("acme", "svc-" + (i % 5), at));
        // the documented rule: more than the allowed lateness (10 s) behind the newest is late
        if (newest != Long.MIN_VALUE && newest - at.toEpochMilli() > 10_000) {
          expectedLate++;
        } else {
          newest = Math.max(newest, at.toEpochMilli());
        }
      }
      IngestResult r = engine.ingest(batch);
      accepted += r.accepted();
      late += r.rejected().stream().filter(x -> x.reason() == RejectReason.LATE).count();
      assertThat(r.total()).isEqualTo(50);
      engine.tick();
      // forward by hours on even rounds, back by minutes on odd ones
      clock.advance(round % 2 == 0 ? Duration.ofHours(3) : Duration.ofMinutes(-7));
      engine.tick();
    }
    assertThat(late).isEqualTo(expectedLate).isPositive();
    assertThat(accepted).isEqualTo(20 * 50 - expectedLate);
    assertThat(engine.health().anomaliesOpened()).isZero();
    assertThat(engine.health().detectorErrors()).isZero();
    assertThat(engine.anomalies().list("acme", AnomalyQuery.defaults()).content()).isEmpty();
  }

  @Test
  void oneProducerWithItsClockMinutesAheadDoesNotMakeTheOtherProducersEventsLate() {
    // Regression: an event accepted within ANOMALY_MAX_FUTURE_SKEW moved the tenant's
    // watermark minutes ahead of the clock, and every event of the tenant's other producers
    // was then rejected as late until real time caught up.
    AnomalyEngine engine = engine();
    IngestResult ahead = engine.ingest(List.of(event("acme", "skewed-host", T0.plusSeconds(240))));
    assertThat(ahead.accepted()).isEqualTo(1);

    List<AuditEvent> onTime = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      onTime.add(event("acme", "billing", T0.minusMillis(i * 50L)));
    }
    IngestResult r = engine.ingest(onTime);

    assertThat(r.rejected()).isEmpty();
    assertThat(r.accepted()).isEqualTo(100);
    // lateness still applies, measured from the clock
    IngestResult late = engine.ingest(List.of(event("acme", "billing", T0.minusSeconds(11))));
    assertThat(late.rejected()).singleElement().satisfies(x -> {
      assertThat(x.reason()).isEqualTo(RejectReason.LATE);
      assertThat(x.message()).contains("watermark " + T0);
    });
  }

  @Test
  void afterTheClockMovesBackEventsAtTheOldClockTimeWithinTheSkewStillCount() {
    AnomalyEngine engine = engine();
    engine.ingest(List.of(event("acme", "billing", T0)));
    clock.advance(Duration.ofMinutes(-4));

    IngestResult r = engine.ingest(List.of(event("acme", "billing", T0.plusSeconds(1))));

    assertThat(r.accepted()).isEqualTo(1);
  }

  @Test
  void aTickStormWithoutEventsFiresNothing() {
    AnomalyEngine engine = engine();
    engine.ingest(List.of(event("acme", "billing", T0)));
    for (int i = 0; i < 100_000; i++) {
      engine.tick();
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(997));
      }
    }
    assertThat(TestEngines.recorder(engine).ticks.sum()).isEqualTo(100_000);
    assertThat(engine.health().anomaliesOpened()).isZero();
    assertThat(engine.health().detectorErrors()).isZero();
  }

  @Test
  void aTickStormFromManyThreadsDuringIngestLosesNoEvent() throws Exception {
    AnomalyEngine engine = engine();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    List<Thread> tickers = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    for (int i = 0; i < 3; i++) {
      Thread th = new Thread(() -> {
        try {
          while (!stop.get()) {
            engine.tick();
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      th.start();
      tickers.add(th);
    }
    long accepted = 0;
    for (int b = 0; b < 200; b++) {
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(event("acme", "svc-" + (i % 7), T0.plusMillis(b * 10L + i % 10)));
      }
      accepted += engine.ingest(batch).accepted();
    }
    stop.set(true);
    for (Thread th : tickers) {
      th.join();
    }
    assertThat(errors).isEmpty();
    assertThat(accepted).isEqualTo(20_000);
    assertThat(engine.health().eventsAccepted()).isEqualTo(20_000);
    assertThat(engine.health().anomaliesOpened()).isZero();
  }

  @Test
  void aVerificationLeftRunningWhenTheClockJumpsHoursAheadReturnsToOpen() {
    List<Runnable> parked = new ArrayList<>();
    AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults(), parked::add,
        List.of());
    engines.add(engine);
    Anomaly a = engine.ingest(List.of(trigger("acme", "billing", T0))).opened().get(0);
    engine.anomalies().verify("acme", a.id());
    assertThat(engine.anomalies().get("acme", a.id()).status()).isEqualTo(AnomalyStatus.VERIFYING);

    clock.advance(Duration.ofMinutes(-3));
    engine.tick();
    assertThat(engine.anomalies().get("acme", a.id()).status()).isEqualTo(AnomalyStatus.VERIFYING);

    clock.advance(Duration.ofHours(5));
    engine.tick();
    Anomaly after = engine.anomalies().get("acme", a.id());
    assertThat(after.status()).isEqualTo(AnomalyStatus.OPEN);
    assertThat(after.history()).last().satisfies(h -> {
      assertThat(h.origin()).isEqualTo(Origin.VERIFICATION);
      assertThat(h.note()).contains("timed out");
    });
    // the job that finally runs finds nothing to do and breaks nothing
    parked.forEach(Runnable::run);
    assertThat(engine.anomalies().get("acme", a.id()).status()).isEqualTo(AnomalyStatus.OPEN);
    assertThat(engine.health().verificationsPending()).isZero();
  }
}
