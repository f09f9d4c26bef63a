package io.batanomaly.detectors.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.RejectReason;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine clock jumping hours ahead, stepping minutes back, and tick storms, with every
 * built-in detector running on clean traffic that each of them watches (services answering
 * requests, a failed login now and then, deletes, policy evaluations): nothing fires and no
 * detector throws. The core's own time-fault test runs a recording detector only, which never
 * sees what would trigger a real one.
 */
@Timeout(120)
class ClockFaultsWithAllDetectorsTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] TENANTS = {"acme", "globex"};
  private static final String[] SERVICES = {"billing", "search", "auth", "inventory"};

  private final ManualClock clock = new ManualClock(T0);
  private final SplittableRandom random = new SplittableRandom(11);

  /** One second of clean traffic at the clock's time, for every tenant and service. */
  private List<AuditEvent> second() {
    long t = clock.millis();
    List<AuditEvent> batch = new ArrayList<>();
    for (String tenant : TENANTS) {
      for (String service : SERVICES) {
        for (int i = 0; i < 3; i++) {
          int status = random.nextInt(100) == 0 ? 500 : 200;
          String method = random.nextInt(200) == 0 ? "DELETE" : "GET";
          if (random.nextInt(300) == 0) {
            status = 401;
          }
          batch.add(AuditEvent.builder().tenant(tenant).service(service).epochMillis(t - i)
              .method(method).status(status).identifier("client-" + random.nextInt(50))
              .eventType("http.request").build());
        }
      }
      batch.add(AuditEvent.builder().tenant(tenant).service("policy-engine").epochMillis(t)
          .eventType("policy.evaluation").policyModule("payments").policyFunction("authorize")
          .versionId("v7").outcome(random.nextInt(100) == 0 ? Outcome.FAILURE : Outcome.SUCCESS)
          .executionTimeMillis(8 + random.nextDouble() * 4).build());
    }
    return batch;
  }

  /** Runs clean traffic for {@code span}, a batch per second and a tick every ten. */
  private void run(AnomalyEngine engine, Duration span) {
    long end = clock.millis() + span.toMillis();
    for (int s = 0; clock.millis() < end; s++) {
      List<AuditEvent> batch = second();
      var r = engine.ingest(batch);
      assertThat(r.rejected()).allSatisfy(x -> assertThat(x.reason()).isEqualTo(RejectReason.LATE));
      if (s % 10 == 0) {
        engine.tick();
      }
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void theRealDetectorsFireNothingThroughClockJumpsStepsBackAndTickStorms() throws Exception {
    try (AnomalyEngine engine = AnomalyEngine.builder().config(AnomalyConfig.defaults())
        .clock(clock).autoTick(false).verificationExecutor(Runnable::run).build()) {
      assertThat(engine.detectorNames()).hasSize(8);
      run(engine, Duration.ofMinutes(40));

      // a VM pause or an NTP step: three hours pass at once, the first tick comes before any
      // producer could send again
      clock.advance(Duration.ofHours(3));
      engine.tick();
      run(engine, Duration.ofMinutes(20));

      // the clock steps back two minutes (events in that span are late, as documented)
      clock.set(clock.instant().minus(Duration.ofMinutes(2)));
      engine.tick();
      run(engine, Duration.ofMinutes(10));

      // a storm of ticks from eight threads at once, then a jump of a day
      CountDownLatch start = new CountDownLatch(1);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> storm = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Thread t = new Thread(() -> {
          try {
            start.await();
            for (int k = 0; k < 500; k++) {
              engine.tick();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        });
        t.start();
        storm.add(t);
      }
      start.countDown();
      for (Thread t : storm) {
        t.join();
      }
      assertThat(failure.get()).isNull();
      clock.advance(Duration.ofDays(1));
      engine.tick();
      run(engine, Duration.ofMinutes(10));

      for (String tenant : TENANTS) {
        assertThat(Anomalies.all(engine, tenant)).as("anomalies of %s", tenant).isEmpty();
      }
      assertThat(engine.health().detectorErrors()).isZero();
      assertThat(engine.health().eventsAccepted()).isGreaterThan(50_000);
    }
  }
}
