package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.spi.DetectorProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Ingest with the five audit detectors over the anomaly store: in memory, or the JDBC store on
 * PostgreSQL (a fresh schema per trial on the server {@code -Dbatanomaly.bench.pg.url} or
 * {@code BATANOMALY_TEST_PG_URL} names, such as
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). Two workloads, in events per
 * second, each call's latency recorded for {@link BatchLatencyProfiler}:
 *
 * <ul>
 *   <li>{@code stream}: the {@link EventStream} in batches of 1,000, as {@code IngestBenchmark}
 *       replays it: findings are rare, so the store is almost never touched;
 *   <li>{@code burst}: batches of 1,000 failed logins, 20 from each of 50 identifiers, so every
 *       batch brings a burst of brute-force findings (50 keys, new ones every batch for 200
 *       batches, then the same again), each opening or updating an anomaly in the store.
 * </ul>
 *
 * <pre>
 * java -Dbatanomaly.bench.pg.url=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres \
 *     -jar batanomaly-benchmarks/target/benchmarks.jar StoreIngestBenchmark \
 *     -prof io.batanomaly.benchmarks.BatchLatencyProfiler
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class StoreIngestBenchmark {

  /** Where anomalies are kept: {@code memory} or {@code postgresql}. */
  @Param({"memory", "postgresql"})
  public String store;

  private static final int BURST_IDENTIFIERS = 50;
  private static final int BURST_KEY_SETS = 200;

  private ReplayClock clock;
  private AnomalyEngine engine;
  private ReplayCursor cursor;
  private long burstBatch;

  /** Builds the engine over the chosen store. */
  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    clock = new ReplayClock();
    AnomalyConfig.Builder config = AnomalyConfig.defaults().toBuilder();
    if (store.equals("postgresql")) {
      config.set("ANOMALY_JDBC_URL", freshSchema());
    } else if (!store.equals("memory")) {
      throw new IllegalArgumentException("store must be memory or postgresql, but was '"
          + store + "'");
    }
    AnomalyEngine.Builder b = AnomalyEngine.builder().config(config.build()).clock(clock)
        .autoTick(false).discoverDetectors(false);
    for (DetectorProvider p : Engines.providers("audit")) {
      b.detector(p);
    }
    engine = b.build();
    cursor = new ReplayCursor(
        EventStream.generate("tenant-0", EventStream.DEFAULT_BATCHES, 42));
  }

  /** A new schema on the benchmark server, as the URL of the store. */
  private static String freshSchema() throws SQLException {
    String url = System.getProperty("batanomaly.bench.pg.url",
        System.getenv("BATANOMALY_TEST_PG_URL"));
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("store=postgresql needs -Dbatanomaly.bench.pg.url or"
          + " BATANOMALY_TEST_PG_URL");
    }
    String schema = "bench_" + System.currentTimeMillis();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** Closes the engine (and the pool it opened). */
  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /** Ingests one batch of the benchmark stream, recording its latency. */
  @Benchmark
  public IngestResult stream() {
    return IngestBenchmark.timedIngest(engine, clock, cursor);
  }

  /** Ingests one batch of failed logins that brings a burst of findings. */
  @Benchmark
  public IngestResult burst() {
    long batch = burstBatch++;
    long start = EventStream.START_MILLIS + batch * 1_000;
    clock.advanceTo(start + 999);
    List<AuditEvent> events = new ArrayList<>(EventStream.BATCH);
    long keySet = batch % BURST_KEY_SETS;
    for (int i = 0; i < EventStream.BATCH; i++) {
      int who = i % BURST_IDENTIFIERS;
      events.add(AuditEvent.builder().tenant("tenant-burst").service("auth")
          .epochMillis(start + i).method("POST").status(401)
          .identifier("203.0." + keySet + "." + who).eventType("http.request").build());
    }
    long t0 = System.nanoTime();
    IngestResult r = engine.ingest(events);
    BatchLatencyProfiler.RECORDER.recordValue(System.nanoTime() - t0);
    return r;
  }
}
