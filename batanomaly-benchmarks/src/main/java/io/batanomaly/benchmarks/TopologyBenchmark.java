package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.kafka.AnomalyTopology;
import io.batanomaly.kafka.AuditEventSerde;
import io.batanomaly.kafka.TimeMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost per event of the Kafka Streams topology on one stream thread, beside the embedded
 * engine on the same stream ({@link EventStream}, one tenant, the five audit detectors), in
 * events per second.
 *
 * <ul>
 *   <li>{@code path=topology}: every event through {@link TopologyTestDriver}: the source
 *       topic's JSON, the split by keying, the repartition topics (serialized and read back),
 *       the changelogged event store, and one engine per keying fed one event at a time. No
 *       broker: this is the processing cost per stream thread, without network or disk.
 *   <li>{@code path=enginePerEvent}: an embedded engine with the same detectors, fed one event
 *       per {@code ingest} call, as each keying's processor feeds its engine.
 *   <li>{@code path=engineBatch}: the embedded engine fed batches of 1,000, as
 *       {@link IngestBenchmark} does.
 * </ul>
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar TopologyBenchmark
 * java -jar batanomaly-benchmarks/target/benchmarks.jar TopologyBenchmark -p path=topology \
 *     -jvmArgsAppend "-XX:StartFlightRecording=filename=topology.jfr,settings=profile"
 * </pre>
 *
 * <p>The topology keeps each task's events for the state retention, which is set to five
 * minutes here (the stream moves 5,000 events a second of event time): with the default two
 * hours it would hold 36 million events of this stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TopologyBenchmark {

  /** What carries the events to the detectors. */
  @Param({"topology", "enginePerEvent", "engineBatch"})
  public String path;

  private ReplayCursor cursor;
  private ReplayClock clock;
  private AnomalyEngine engine;
  private AnomalyTopology topology;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], AuditEvent> in;
  private TestOutputTopic<String, String> out;

  /** Builds the path and generates the stream. */
  @Setup
  public void setUp() {
    cursor = new ReplayCursor(EventStream.generate("tenant-0", 200, 42));
    if (path.equals("topology")) {
      topology = AnomalyTopology.builder().sourceTopic("events").notificationTopic("anomalies")
          .config(AnomalyConfig.defaults()).timeMode(TimeMode.EVENT_TIME)
          .discoverDetectors(false).stateRetention(Duration.ofMinutes(5))
          .detector(provider("volume_spike")).detector(provider("error_rate"))
          .detector(provider("brute_force")).detector(provider("mass_delete"))
          .detector(provider("silent_service")).build();
      Properties p = new Properties();
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-benchmark");
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      driver = new TopologyTestDriver(topology.topology(), p,
          Instant.ofEpochMilli(EventStream.START_MILLIS));
      in = driver.createInputTopic("events", new ByteArraySerializer(),
          new AuditEventSerde().serializer());
      out = driver.createOutputTopic("anomalies", new StringDeserializer(),
          new StringDeserializer());
    } else {
      clock = new ReplayClock();
      engine = Engines.build("audit", clock);
    }
  }

  private static io.batanomaly.spi.DetectorProvider provider(String name) {
    return Engines.providers(name).get(0);
  }

  /** Closes what the path opened. */
  @TearDown
  public void tearDown() {
    if (driver != null) {
      driver.close();
      topology.close();
    } else {
      engine.close();
    }
  }

  /** Carries one batch of 1,000 events to the detectors. */
  @Benchmark
  public long carry() {
    switch (path) {
      case "topology" -> {
        for (AuditEvent e : cursor.next()) {
          in.pipeInput(null, e, e.epochMillis());
        }
        return out.getQueueSize() > 0 ? out.readValuesToList().size() : 0;
      }
      case "enginePerEvent" -> {
        clock.advanceTo(cursor.peekMaxTime());
        long accepted = 0;
        for (AuditEvent e : cursor.next()) {
          accepted += engine.ingest(Collections.singletonList(e)).accepted();
        }
        return accepted;
      }
      default -> {
        clock.advanceTo(cursor.peekMaxTime());
        List<AuditEvent> batch = cursor.next();
        return engine.ingest(batch).accepted();
      }
    }
  }
}
