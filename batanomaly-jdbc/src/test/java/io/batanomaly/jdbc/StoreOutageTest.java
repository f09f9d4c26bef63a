package io.batanomaly.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.IngestResult;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database stops while events flow and starts again: ingest never throws, the findings wait
 * in the bounded buffer (the health snapshot says the store is unavailable), and once the
 * database is back they are stored, each once.
 */
class StoreOutageTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** Reports one finding per event, about the event's service. */
  static final class EveryEventDetector implements Detector {
    @Override
    public Set<String> types() {
      return Set.of("OUTAGE_PROBE");
    }

    @Override
    public void observe(AuditEvent e, ServiceScope scope, FindingSink sink) {
      sink.report(Finding.builder(e.tenant(), "OUTAGE_PROBE", e.service()).service(e.service())
          .severity(Severity.LOW).summary("event on " + e.service()).build());
    }

    @Override
    public void tick(long nowMillis, FindingSink sink) {}

    @Override
    public io.batanomaly.spi.Reevaluation reevaluate(io.batanomaly.api.Anomaly a, long now) {
      return io.batanomaly.spi.Reevaluation.stillHolds("still there", Map.of());
    }
  }

  static DetectorProvider provider() {
    return new DetectorProvider() {
      @Override
      public String name() {
        return "every_event";
      }

      @Override
      public Detector create(DetectorContext context) {
        return new EveryEventDetector();
      }
    };
  }

  private static List<AuditEvent> batch(Instant at, String... services) {
    List<AuditEvent> events = new ArrayList<>();
    for (String s : services) {
      events.add(AuditEvent.builder().tenant("acme").service(s).timestamp(at).method("GET")
          .status(200).identifier("user-1").eventType("http.request").build());
    }
    return events;
  }

  @Test
  @Timeout(180)
  void findingsWaitForADatabaseThatIsDownAndAreStoredOnceItIsBack() {
    TestPostgres pg = TestPostgres.get();
    Assumptions.assumeTrue(pg.canStopAndStart() || "true".equalsIgnoreCase(System.getenv("CI")),
        "the test server cannot be stopped and started (BATANOMALY_TEST_PG_CTL is not set)");
    String schema = pg.newSchema();
    ManualClock clock = new ManualClock(T0);
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_JDBC_URL", pg.url(schema),
        "ANOMALY_JDBC_POOL_SIZE", "2", "ANOMALY_STORE_BUFFER", "5"));
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config).clock(clock)
        .discoverDetectors(false).detector(provider()).autoTick(false).build()) {
      assertThat(engine.ingest(batch(T0, "a")).opened()).hasSize(1);

      pg.stop();
      try {
        clock.advance(Duration.ofSeconds(1));
        IngestResult during = engine.ingest(batch(clock.instant(), "a", "b", "c"));
        assertThat(during.accepted()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        assertThatCode(() -> engine.ingest(batch(clock.instant(), "d", "e", "f", "g")))
            .doesNotThrowAnyException();
        assertThatCode(engine::tick).doesNotThrowAnyException();
        EngineHealth health = engine.health();
        assertThat(health.storeAvailable()).isFalse();
        // "a" is active and known: absorbed in memory, written on a tick; b to f wait in the
        // buffer of five, g overflows it
        assertThat(health.findingsBuffered()).isEqualTo(5);
        assertThat(health.findingsOverflowed()).isEqualTo(1);
      } finally {
        pg.start();
      }

      // a pooled connection from before the restart may fail once more; the next tick retries
      for (int i = 0; i < 5 && (!engine.health().storeAvailable()
          || engine.health().findingsBuffered() > 0); i++) {
        clock.advance(Duration.ofSeconds(1));
        engine.tick();
      }
      EngineHealth after = engine.health();
      assertThat(after.storeAvailable()).isTrue();
      assertThat(after.findingsBuffered()).isZero();
      var stored = engine.anomalies().list("acme", AnomalyQuery.defaults()).content();
      assertThat(stored).extracting(s -> s.subject())
          .containsExactlyInAnyOrder("a", "b", "c", "d", "e", "f");
      var a = stored.stream().filter(s -> s.subject().equals("a")).findFirst().orElseThrow();
      assertThat(engine.anomalies().get("acme", a.id()).occurrences()).isEqualTo(2);
      assertThat(engine.ingest(batch(clock.instant(), "h")).opened()).hasSize(1);
    }
  }
}
