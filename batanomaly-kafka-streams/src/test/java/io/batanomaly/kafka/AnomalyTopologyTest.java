package io.batanomaly.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.AnomalyConfig;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageService;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.spi.ServiceScope;
import io.batanomaly.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class AnomalyTopologyTest {
  private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AuditEvent http(String tenant, String service, Instant at, int status,
      String identifier) {
    return AuditEvent.builder().tenant(tenant).service(service).timestamp(at).method("POST")
        .status(status).identifier(identifier).eventType("http.request").build();
  }

  private static AnomalyTopology.Builder topology(AnomalyRepository repository) {
    return AnomalyTopology.builder().sourceTopic("audit-events").notificationTopic("anomalies")
        .repository(repository);
  }

  private static List<Anomaly> anomalies(AnomalyRepository repository, String tenant,
      String type) {
    return repository.list(tenant, type, Instant.EPOCH);
  }

  /** Waits for the engine's notification thread to hand over, flushing on wall-clock time. */
  private static List<String> awaitNotifications(TopologyTestDriver driver,
      TestOutputTopic<String, String> out, int count) {
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (got.size() < count && System.nanoTime() < deadline) {
      driver.advanceWallClockTime(Duration.ofSeconds(1));
      got.addAll(out.readValuesToList());
      Thread.onSpinWait();
    }
    return got;
  }

  @Test
  void bruteForceAcrossTwoServicesOpensOneAnomalyAndNotifiesItOnTheOutputTopic()
      throws Exception {
    AnomalyRepository repository = Replays.repository();
    try (AnomalyTopology anomalies = topology(repository).timeMode(TimeMode.EVENT_TIME).build();
        TopologyTestDriver driver = new TopologyTestDriver(anomalies.topology(),
            TopologyEquivalenceTest.props(), T0)) {
      TestInputTopic<byte[], AuditEvent> in = driver.createInputTopic("audit-events",
          new ByteArraySerializer(), new AuditEventSerde().serializer());
      TestOutputTopic<String, String> out = driver.createOutputTopic("anomalies",
          new StringDeserializer(), new StringDeserializer());
      for (int i = 0; i < 10; i++) {
        Instant at = T0.plusSeconds(5L * i);
        in.pipeInput(null, http("initech", i % 2 == 0 ? "auth" : "portal", at, 401,
            "203.0.113.77"), at);
      }

      List<Anomaly> found = anomalies(repository, "initech", "BRUTE_FORCE");
      assertThat(found).singleElement().satisfies(a -> {
        assertThat(a.subject()).isEqualTo("203.0.113.77");
        // the clock stands at the end of the tenth event's second
        assertThat(a.detectedAt()).isEqualTo(T0.plusSeconds(45).plusMillis(999));
      });
      List<String> notes = awaitNotifications(driver, out, 1);
      assertThat(notes).hasSize(1);
      JsonNode note = JSON.readTree(notes.get(0));
      assertThat(note.get("kind").asText()).isEqualTo("OPENED");
      assertThat(note.get("anomaly").get("id").asText()).isEqualTo(found.get(0).id());
      assertThat(note.get("anomaly").get("type").asText()).isEqualTo("BRUTE_FORCE");
      assertThat(note.get("alert").get("eventType").asText())
          .isEqualTo(AuditEvent.ALERT_EVENT_TYPE);
      assertThat(note.get("alert").get("tenant").asText()).isEqualTo("initech");
      assertThat(anomalies.stats()).containsEntry("processed", 20L)
          .containsEntry("notifications", 1L);
    }
  }

  @Test
  void triageOverTheSharedStoreListsAndResolvesButVerifyReturnsToOpenWithTheReason() {
    ManualClock clock = new ManualClock(T0.plus(Duration.ofHours(1)));
    AnomalyRepository repository = Replays.repository();
    try (AnomalyTopology anomalies = topology(repository).clock(clock)
        .timeMode(TimeMode.EVENT_TIME).build();
        TopologyTestDriver driver = new TopologyTestDriver(anomalies.topology(),
            TopologyEquivalenceTest.props(), T0)) {
      TestInputTopic<byte[], AuditEvent> in = driver.createInputTopic("audit-events",
          new ByteArraySerializer(), new AuditEventSerde().serializer());
      for (int i = 0; i < 10; i++) {
        Instant at = T0.plusSeconds(i);
        in.pipeInput(null, http("initech", "auth", at, 401, "198.51.100.9"), at);
      }
      TriageService triage = anomalies.anomalies();
      AnomalySummary listed = triage.list("initech", AnomalyQuery.defaults()).content().get(0);
      assertThat(listed.type()).isEqualTo("BRUTE_FORCE");

      triage.verify("initech", listed.id());
      Broker.await("the verification finished", Duration.ofSeconds(30),
          () -> triage.get("initech", listed.id()).status() == AnomalyStatus.OPEN);
      List<HistoryEntry> history = triage.get("initech", listed.id()).history();
      assertThat(history.get(history.size() - 1).note())
          .isEqualTo("verification failed: no running detector reports BRUTE_FORCE");

      Anomaly resolved = triage.updateStatus("initech", listed.id(),
          new StatusUpdateRequest(AnomalyStatus.RESOLVED, "blocked at the firewall"), null);
      assertThat(resolved.status()).isEqualTo(AnomalyStatus.RESOLVED);
      assertThat(repository.find("initech", listed.id()).orElseThrow().status())
          .isEqualTo(AnomalyStatus.RESOLVED);
    }
  }

  @Test
  void silentServiceFiresOnWallClockTimeWithNoEventArriving() {
    ManualClock clock = new ManualClock(T0);
    AnomalyRepository repository = Replays.repository();
    try (AnomalyTopology anomalies = topology(repository).clock(clock).build();
        TopologyTestDriver driver = new TopologyTestDriver(anomalies.topology(),
            TopologyEquivalenceTest.props(), T0)) {
      TestInputTopic<byte[], AuditEvent> in = driver.createInputTopic("audit-events",
          new ByteArraySerializer(), new AuditEventSerde().serializer());
      // active every 30 s for 30 minutes, on wall-clock time as well as event time
      for (int i = 0; i < 60; i++) {
        Instant at = T0.plusSeconds(30L * i);
        in.pipeInput(null, http("acme-corp", "billing", at, 200, "u1"), at);
        clock.advance(Duration.ofSeconds(30));
        driver.advanceWallClockTime(Duration.ofSeconds(30));
      }
      Instant last = T0.plusSeconds(30L * 59);
      // then nothing at all: only the wall clock moves, ten seconds at a time
      while (clock.instant().isBefore(last.plus(Duration.ofMinutes(15)).minusSeconds(10))) {
        clock.advance(Duration.ofSeconds(10));
        driver.advanceWallClockTime(Duration.ofSeconds(10));
      }
      assertThat(anomalies(repository, "acme-corp", "SILENT_SERVICE")).isEmpty();
      clock.advance(Duration.ofSeconds(20));
      driver.advanceWallClockTime(Duration.ofSeconds(20));

      assertThat(anomalies(repository, "acme-corp", "SILENT_SERVICE")).singleElement()
          .satisfies(a -> assertThat(a.subject()).isEqualTo("billing"));
    }
  }

  @Test
  void aMalformedRecordIsCountedAndSkippedWhileTheRestGoesThrough() {
    AnomalyRepository repository = Replays.repository();
    try (AnomalyTopology anomalies = topology(repository).timeMode(TimeMode.EVENT_TIME).build();
        TopologyTestDriver driver = new TopologyTestDriver(anomalies.topology(),
            TopologyEquivalenceTest.props(), T0)) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic("audit-events",
          new ByteArraySerializer(), new ByteArraySerializer());
      for (int i = 0; i < 12; i++) {
        Instant at = T0.plusSeconds(i);
        byte[] value = i == 3 ? "{not json".getBytes(StandardCharsets.UTF_8)
            : i == 4 ? "{\"tenant\":\"initech\",\"timestamp\":\"yesterday\"}"
                .getBytes(StandardCharsets.UTF_8)
            : AuditEventSerde.write(http("initech", "auth", at, 401, "198.51.100.9"));
        in.pipeInput(null, value, at);
      }

      assertThat(anomalies.stats()).containsEntry("malformed", 2L);
      // ten good failures remain: enough for the rule
      assertThat(anomalies(repository, "initech", "BRUTE_FORCE")).hasSize(1);
    }
  }

  @Test
  void eachKeyingIsItsOwnRepartitionedSubTopologyWithOnlyItsDetectors() {
    try (AnomalyTopology anomalies = topology(Replays.repository()).build()) {
      assertThat(anomalies.detectors()).containsOnlyKeys(Keying.SERVICE, Keying.IDENTIFIER,
          Keying.POLICY);
      assertThat(anomalies.detectors().get(Keying.SERVICE)).containsExactlyInAnyOrder(
          "volume_spike", "error_rate", "mass_delete", "silent_service");
      assertThat(anomalies.detectors().get(Keying.IDENTIFIER)).containsExactly("brute_force");
      assertThat(anomalies.detectors().get(Keying.POLICY)).containsExactlyInAnyOrder(
          "high_failure_rate", "zombie_version", "performance_degradation");
      TopologyDescription d = anomalies.topology().describe();
      // the source, then one sub-topology per keying behind its repartition topic
      assertThat(d.subtopologies()).hasSize(4);
      assertThat(d.toString()).contains("batanomaly-service-repartition",
          "batanomaly-identifier-repartition", "batanomaly-policy-repartition");
    }
  }

  @Test
  void aKeyingWhoseDetectorsAreAllDisabledHasNoSubTopology() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_DISABLED_DETECTORS", "brute_force").build();
    try (AnomalyTopology anomalies = topology(Replays.repository()).config(config).build()) {
      assertThat(anomalies.detectors()).containsOnlyKeys(Keying.SERVICE, Keying.POLICY);
      assertThat(anomalies.topology().describe().toString())
          .doesNotContain("batanomaly-identifier");
    }
  }

  @Test
  void aDiscoveredDetectorRunsPerTenantUnlessItDeclaresAFinerKeying() {
    try (AnomalyTopology perTenant = topology(Replays.repository()).discoverDetectors(false)
        .detector(new Counting()).build();
        AnomalyTopology perService = topology(Replays.repository()).discoverDetectors(false)
            .detector(new Counting(), Keying.SERVICE).build()) {
      assertThat(perTenant.detectors()).isEqualTo(Map.of(Keying.TENANT, List.of("counting")));
      assertThat(perService.detectors()).isEqualTo(Map.of(Keying.SERVICE, List.of("counting")));
    }
  }

  @Test
  void invalidSettingsFailTheBuildNamingEachOneAndItsValue() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_BRUTE_FORCE_THRESHOLD", "-3").build();
    assertThatThrownBy(() -> topology(Replays.repository()).config(config).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_BRUTE_FORCE_THRESHOLD").hasMessageContaining("-3");
    AnomalyConfig noTicks = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_TICK_INTERVAL", "0").build();
    assertThatThrownBy(() -> topology(Replays.repository()).config(noTicks).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ANOMALY_TICK_INTERVAL must be positive on Kafka Streams, where the"
            + " topology ticks the engines itself, but was 0");
    assertThatThrownBy(() -> AnomalyTopology.builder().notificationTopic("n").build())
        .isInstanceOf(NullPointerException.class).hasMessage("sourceTopic must be set");
  }

  @Test
  void keysOfTwoFieldsNeverCollideWhateverTheFieldsHold() {
    AuditEvent a = http("a-b", "c", T0, 200, "x");
    AuditEvent b = http("a", "b-c", T0, 200, "x");
    assertThat(Keying.SERVICE.key(a)).isNotEqualTo(Keying.SERVICE.key(b));
    assertThat(Keying.IDENTIFIER.accepts(http("t", "s", T0, 401, null))).isFalse();
    assertThat(Keying.POLICY.accepts(a)).isFalse();
    assertThat(Keying.POLICY.accepts(AnomalyTopology.versionActivation("t", "m", "f", "v2", T0)))
        .isTrue();
  }

  /** A third-party detector that reports nothing. */
  static final class Counting implements DetectorProvider {
    @Override
    public String name() {
      return "counting";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("COUNTING");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {}

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          throw new UnsupportedOperationException();
        }
      };
    }
  }
}
