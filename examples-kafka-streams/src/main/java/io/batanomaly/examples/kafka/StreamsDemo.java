package io.batanomaly.examples.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batanomaly.AuditEvent;
import io.batanomaly.examples.demo.Demo;
import io.batanomaly.examples.demo.DemoScenario;
import io.batanomaly.examples.demo.Replay;
import io.batanomaly.kafka.AnomalyTopology;
import io.batanomaly.kafka.AuditEventSerde;
import io.batanomaly.kafka.Keying;
import io.batanomaly.kafka.TimeMode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The demo stream through the Kafka Streams topology: starts a single-node KRaft broker in this
 * JVM, produces the demo's simulated traffic to the {@code audit-events} topic (with the version
 * rollout as a version-activation event), runs the topology with two stream threads, and prints
 * each anomaly from the {@code anomalies} notification topic as it arrives.
 *
 * <pre>
 * mvn -B -q -Pstreams-demo -DskipTests verify                        (from the project root)
 * mvn -B -q -Pstreams-demo -DskipTests verify -Dstreams.args="--minutes 80"
 * </pre>
 *
 * <p>{@code --minutes N} replays only the first N minutes of the three hours (the incidents of
 * the first 80 minutes are brute force, zombie version, volume spike, error rate and mass
 * delete).
 */
public final class StreamsDemo {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamsDemo() {}

  /**
   * Runs the demo.
   *
   * @param args {@code [--minutes N]}
   * @throws Exception if the broker cannot start
   */
  public static void main(String[] args) throws Exception {
    Duration length = DemoScenario.LENGTH;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--minutes") && i + 1 < args.length) {
        length = Duration.ofMinutes(Long.parseLong(args[++i]));
      } else if (!args[i].isBlank()) {
        throw new IllegalArgumentException("usage: StreamsDemo [--minutes N], but was '"
            + String.join(" ", args) + "'");
      }
    }
    run(length, System.out);
  }

  /**
   * Runs the demo over the first {@code length} of the scenario.
   *
   * @param length how much of the scenario to replay
   * @param out where to print
   * @return the number of anomalies opened
   * @throws Exception if the broker cannot start
   */
  public static int run(Duration length, PrintStream out) throws Exception {
    DemoScenario scenario = DemoScenario.standard();
    Instant end = scenario.start().plus(length);
    List<AuditEvent> events = events(scenario, end);
    out.printf(Locale.ROOT, "batanomaly on Kafka Streams: %,d demo events from %s to %s UTC%n",
        events.size(), TIME.format(scenario.start()), TIME.format(end));
    try (KafkaClusterTestKit broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .setConfigProp("log.retention.check.interval.ms", "86400000").build()) {
      broker.format();
      broker.startup();
      broker.waitForReadyBrokers();
      out.println("Broker up at " + broker.bootstrapServers());
      try (Admin admin = broker.admin()) {
        // the demo's events are stamped in March 2026: without retention.ms=-1 the broker
        // would delete them as older than its seven-day time retention
        Map<String, String> keep = Map.of("retention.ms", "-1");
        admin.createTopics(List.of(new NewTopic("audit-events", 1, (short) 1).configs(keep),
            new NewTopic("anomalies", 1, (short) 1).configs(keep))).all().get();
      }
      produce(broker.bootstrapServers(), events);
      out.println("Produced to audit-events; running the topology (repartitioned in 4):");
      try (AnomalyTopology anomalies = AnomalyTopology.builder().sourceTopic("audit-events")
          .notificationTopic("anomalies").config(Demo.config(System.getenv()))
          .timeMode(TimeMode.EVENT_TIME).partitions(4).build()) {
        anomalies.detectors().forEach((k, names) ->
            out.println("  " + k.name().toLowerCase(Locale.ROOT) + " keying: " + names));
        long work = 0;
        for (AuditEvent e : events) {
          for (Keying k : anomalies.detectors().keySet()) {
            work += k.accepts(e) ? 1 : 0;
          }
        }
        Path state = Files.createTempDirectory("batanomaly-streams-demo");
        long started = System.nanoTime();
        int opened;
        try (KafkaStreams streams = new KafkaStreams(anomalies.topology(),
            props(broker.bootstrapServers(), state))) {
          streams.setStateListener((now, before) -> out.println("  (Kafka Streams: " + before
              + " -> " + now + ")"));
          streams.start();
          opened = printNotifications(broker.bootstrapServers(), anomalies, work, out);
          streams.close(Duration.ofSeconds(30));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "Done: %d anomalies opened; %,d events through the topology in"
            + " %.1f s (%,.0f events/s, %s)%n", opened, events.size(), seconds,
            events.size() / seconds, anomalies.stats());
        return opened;
      }
    }
  }

  private static List<AuditEvent> events(DemoScenario scenario, Instant end) {
    List<AuditEvent> activations = new ArrayList<>();
    for (Replay.ScheduledAction a : scenario.actions()) {
      // the scenario's one action: the pricing/discount rollout to v4 (see DemoScenario)
      if (a.at().isBefore(end)) {
        activations.add(AnomalyTopology.versionActivation("acme-corp", "pricing", "discount",
            "v4", a.at()));
      }
    }
    List<AuditEvent> out = new ArrayList<>();
    Iterator<AuditEvent> it = scenario.events();
    int next = 0;
    while (it.hasNext()) {
      AuditEvent e = it.next();
      if (!e.timestamp().isBefore(end)) {
        break;
      }
      while (next < activations.size()
          && activations.get(next).epochMillis() <= e.epochMillis()) {
        out.add(activations.get(next++));
      }
      out.add(e);
    }
    return out;
  }

  private static void produce(String bootstrap, List<AuditEvent> events) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      for (AuditEvent e : events) {
        producer.send(new ProducerRecord<>("audit-events", null, e.epochMillis(), null,
            AuditEventSerde.write(e)));
      }
    }
  }

  private static Properties props(String bootstrap, Path state) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "batanomaly-streams-demo");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    return p;
  }

  /** Prints OPENED notifications until every event went through and the topic is quiet. */
  private static int printNotifications(String bootstrap, AnomalyTopology anomalies, long work,
      PrintStream out) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-printer");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    int opened = 0;
    long quietSince = Long.MAX_VALUE;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of("anomalies"));
      while (true) {
        boolean any = false;
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          any = true;
          JsonNode n = JSON.readTree(r.value());
          JsonNode a = n.get("anomaly");
          if (n.get("kind").asText().equals("OPENED")) {
            opened++;
            out.printf(Locale.ROOT, "  >> %s opened  %s %s/%s (%s): %s%n",
                a.get("detectedAt").asText().substring(11, 19), a.get("type").asText(),
                r.key(), a.get("subject").asText(), a.get("severity").asText(),
                a.get("summary").asText());
          }
        }
        long done = anomalies.stats().get("processed");
        if (done >= work) {
          long now = System.nanoTime();
          if (any || quietSince == Long.MAX_VALUE) {
            quietSince = now;
          } else if (now - quietSince > Duration.ofSeconds(3).toNanos()) {
            return opened;
          }
        }
      }
    }
  }
}
