package io.batanomaly.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.AuditEvent;
import io.batanomaly.examples.demo.ReplaySource;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The topology on a real broker: two application instances share the work and one store; one
 * is stopped in the middle of the stream, the other takes over its tasks, rebuilds their windows
 * from the changelogged stores, and the anomalies still equal an embedded engine's. The stream
 * ({@link FailoverStream}) has incidents that straddle the stop, so they are found only if the
 * windows were rebuilt.
 */
class FailoverBrokerTest {
  private static final Duration STEP = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Broker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = new Broker();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
  }

  private static long work(AnomalyTopology topology, List<AuditEvent> events) {
    long n = 0;
    for (AuditEvent e : events) {
      for (Keying k : topology.detectors().keySet()) {
        if (k.accepts(e)) {
          n++;
        }
      }
    }
    return n;
  }

  private static AnomalyTopology topology(AnomalyRepository shared) {
    return AnomalyTopology.builder().sourceTopic("failover-events")
        .notificationTopic("failover-anomalies").config(Replays.config()).repository(shared)
        .timeMode(TimeMode.EVENT_TIME).partitions(2).build();
  }

  @Test
  void oneOfTwoInstancesStopsMidStreamAndTheResultsStillEqualTheEmbeddedEngines()
      throws Exception {
    ReplaySource source = FailoverStream.source();
    Map<Replays.Key, Instant> embedded = Replays.embedded(source);
    assertThat(embedded.keySet()).extracting(Replays.Key::type)
        .contains("BRUTE_FORCE", "MASS_DELETE", "ERROR_RATE");
    assertThat(embedded.values()).as("each incident is found after the stop")
        .allSatisfy(at -> assertThat(at).isAfter(FailoverStream.STOP));
    List<AuditEvent> records = Replays.sourceRecords(source);
    Instant stopAt = FailoverStream.STOP;
    int split = 0;
    while (records.get(split).timestamp().isBefore(stopAt)) {
      split++;
    }
    // one source partition keeps each key's events in time order through the repartitioning;
    // the engines' sub-topologies run on two partitions each, shared by the two instances
    broker.createTopic("failover-events", 1);
    broker.createTopic("failover-anomalies", 1);
    AnomalyRepository shared = Replays.repository();
    AnomalyTopology first = topology(shared);
    AnomalyTopology second = topology(shared);
    KafkaStreams a = new KafkaStreams(first.topology(),
        broker.streamsProps("failover", Broker.tempDir("failover-a")));
    KafkaStreams b = new KafkaStreams(second.topology(),
        broker.streamsProps("failover", Broker.tempDir("failover-b")));
    try {
      a.start();
      b.start();
      Broker.await("both instances run", WAIT, () -> a.state() == KafkaStreams.State.RUNNING
          && b.state() == KafkaStreams.State.RUNNING);
      List<AuditEvent> before = records.subList(0, split);
      long beforeWork = work(first, before);
      broker.produce("failover-events", before);
      Broker.await("the first part is processed", WAIT, () -> processed(first, second)
          >= beforeWork);
      assertThat(processed(first, "processed")).as("instance a had work").isPositive();
      assertThat(processed(second, "processed")).as("instance b had work").isPositive();
      assertThat(Replays.collect(shared, Replays.tenants(source))).isEmpty();

      a.close(Duration.ofSeconds(30));
      List<AuditEvent> after = records.subList(split, records.size());
      long total = beforeWork + work(first, after);
      broker.produce("failover-events", after);
      // a rebalance may hand a task over before its last records were committed, and those
      // are processed again (at least once), so the counters can reach the total early: wait
      // for the takeover and for the anomalies as well
      try {
        Broker.await("the remaining instance took over, rebuilt a's windows and processed the"
            + " rest", WAIT, () -> processed(second, "replayed") > 0
                && processed(first, second) >= total
                && Replays.collect(shared, Replays.tenants(source)).keySet()
                    .equals(embedded.keySet()));
      } catch (AssertionError timedOut) {
        throw new AssertionError(timedOut.getMessage() + ": a " + first.stats() + ", b "
            + second.stats() + ", work " + total + ", found "
            + Replays.collect(shared, Replays.tenants(source)) + ", embedded " + embedded);
      }

      Map<Replays.Key, Instant> streamed = Replays.collect(shared, Replays.tenants(source));
      assertThat(streamed.keySet()).containsExactlyElementsOf(embedded.keySet());
      embedded.forEach((key, at) -> assertThat(Duration.between(at, streamed.get(key)).abs())
          .as("detection time of %s", key).isLessThanOrEqualTo(STEP));
      assertThat(shared.list("acme", "BRUTE_FORCE", Instant.EPOCH)).singleElement()
          .satisfies(x -> assertThat(x.subject()).isEqualTo(FailoverStream.ATTACKER));
      assertThat(notifications("failover-anomalies", embedded.size()))
          .extracting(n -> n.get("anomaly").get("type").asText())
          .containsAll(embedded.keySet().stream().map(Replays.Key::type).toList());
      System.out.printf("failover: %d events, replayed %d stored events in %d ms on takeover%n",
          records.size(), processed(second, "replayed"), processed(second, "replayMillis"));
    } finally {
      a.close(Duration.ofSeconds(30));
      b.close(Duration.ofSeconds(30));
      first.close();
      second.close();
    }
  }

  private static long processed(AnomalyTopology t, String counter) {
    return t.stats().get(counter);
  }

  private static long processed(AnomalyTopology first, AnomalyTopology second) {
    return processed(first, "processed") + processed(second, "processed");
  }

  /** Reads the notification topic until it holds at least {@code count} OPENED records. */
  private static List<JsonNode> notifications(String topic, int count) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "notification-reader");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<JsonNode> opened = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (opened.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          JsonNode n = JSON.readTree(r.value());
          if (n.get("kind").asText().equals("OPENED")) {
            opened.add(n);
          }
        }
      }
    }
    return opened;
  }
}
