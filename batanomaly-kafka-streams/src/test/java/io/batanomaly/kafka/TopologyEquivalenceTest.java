package io.batanomaly.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AuditEvent;
import io.batanomaly.examples.demo.ReplaySource;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The demo stream, the sshd auth log and the NAB latency series through the topology and
 * through a plain engine: the same anomalies (type, tenant, subject), detected within one
 * evaluation step ({@code ANOMALY_TICK_INTERVAL}, ten seconds) of each other.
 */
class TopologyEquivalenceTest {
  private static final Duration STEP = Duration.ofSeconds(10);

  @Test
  void demoStreamFindsTheSameAnomaliesAsTheEmbeddedEngine() {
    assertEquivalent(ReplaySource.synthetic(io.batanomaly.examples.demo.DemoScenario.SEED), 8);
  }

  @Test
  void authLogFindsTheSameAnomaliesAsTheEmbeddedEngine() {
    assertEquivalent(ReplaySource.authLog(null), 1);
  }

  @Test
  void nabSeriesFindsTheSameAnomaliesAsTheEmbeddedEngine() {
    assertEquivalent(ReplaySource.nab(null), 1);
  }

  private static void assertEquivalent(ReplaySource source, int atLeast) {
    Map<Replays.Key, Instant> embedded = Replays.embedded(source);
    Map<Replays.Key, Instant> streamed = throughTopology(source);

    assertThat(embedded).hasSizeGreaterThanOrEqualTo(atLeast);
    assertThat(streamed.keySet()).containsExactlyElementsOf(embedded.keySet());
    embedded.forEach((key, at) -> assertThat(Duration.between(at, streamed.get(key)).abs())
        .as("detection time of %s: embedded %s, topology %s", key, at, streamed.get(key))
        .isLessThanOrEqualTo(STEP));
  }

  static Map<Replays.Key, Instant> throughTopology(ReplaySource source) {
    AnomalyRepository repository = Replays.repository();
    try (AnomalyTopology anomalies = AnomalyTopology.builder().sourceTopic("audit-events")
        .notificationTopic("anomalies").config(Replays.config()).repository(repository)
        .timeMode(TimeMode.EVENT_TIME).build();
        TopologyTestDriver driver = new TopologyTestDriver(anomalies.topology(), props(),
            source.start())) {
      TestInputTopic<byte[], AuditEvent> in = driver.createInputTopic("audit-events",
          new ByteArraySerializer(), new AuditEventSerde().serializer());
      List<AuditEvent> records = Replays.sourceRecords(source);
      int n = 0;
      for (AuditEvent e : records) {
        in.pipeInput(null, e, e.epochMillis());
        if (++n % 10_000 == 0) {
          drain(driver);
        }
      }
      return Replays.collect(repository, Replays.tenants(source));
    }
  }

  /**
   * Empties every topic the driver captured (notifications, repartition and changelog topics),
   * which it would otherwise keep for the whole replay.
   */
  static void drain(TopologyTestDriver driver) {
    for (String topic : driver.producedTopicNames()) {
      TestOutputTopic<byte[], byte[]> t = driver.createOutputTopic(topic,
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      while (!t.isEmpty()) {
        t.readRecord();
      }
    }
  }

  static Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "batanomaly-equivalence");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return p;
  }
}
