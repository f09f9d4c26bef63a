package io.batanomaly.kafka;

import io.batanomaly.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.StreamsConfig;

/** A real single-node KRaft broker started in-process, for the {@code *BrokerTest} classes. */
final class Broker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  Broker() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("offsets.topic.num.partitions", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        // the test streams are stamped months ago: no time-based deletion while a test runs
        .setConfigProp("log.retention.check.interval.ms", "86400000")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = cluster.admin()) {
      // the test streams are stamped in the past: keep them whatever their timestamps
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)
          .configs(Map.of("retention.ms", "-1")))).all().get();
    }
  }

  /** Produces events with their event time as the record timestamp, and waits for the acks. */
  void produce(String topic, List<AuditEvent> events) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (AuditEvent e : events) {
        producer.send(new ProducerRecord<>(topic, null, e.epochMillis(), null,
            AuditEventSerde.write(e)));
      }
      producer.flush();
    }
  }

  /** The settings of one application instance with its own state directory. */
  Properties streamsProps(String applicationId, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
    p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), "10000");
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    return p;
  }

  static Path tempDir(String prefix) throws Exception {
    return Files.createTempDirectory(prefix);
  }

  /**
   * Waits until a condition holds: the topology runs on the broker's threads, so the test
   * can only observe it.
   *
   * @throws AssertionError if it does not hold within the timeout
   */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
    }
  }

  static Map<String, Object> none() {
    return Map.of();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
