package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One engine with one detector and a manual clock, for detector tests that send batches by
 * hand. Close it after the test.
 */
public final class EngineDriver implements AutoCloseable {
  /** A fixed start: 2026-03-02T09:00:00Z, on a whole minute. */
  public static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

  public final ManualClock clock;
  public final AnomalyEngine engine;

  public EngineDriver(DetectorProvider provider) {
    this(provider, AnomalyConfig.defaults());
  }

  public EngineDriver(DetectorProvider provider, AnomalyConfig config) {
    this(provider, config, T0);
  }

  /** An engine whose clock starts at {@code startMillis}, for replays of old data. */
  public EngineDriver(DetectorProvider provider, AnomalyConfig config, long startMillis) {
    clock = new ManualClock(Instant.ofEpochMilli(startMillis));
    engine = AnomalyEngine.builder().config(config).clock(clock).discoverDetectors(false)
        .detector(provider).autoTick(false).verificationExecutor(Runnable::run).build();
  }

  /** Moves the clock to {@code atMillis} (if later) and ingests the events as one batch. */
  public void send(long atMillis, AuditEvent... events) {
    send(atMillis, List.of(events));
  }

  /** Moves the clock to {@code atMillis} (if later) and ingests the events as one batch. */
  public void send(long atMillis, List<AuditEvent> events) {
    clock.advanceTo(Instant.ofEpochMilli(atMillis));
    assertThat(engine.ingest(new ArrayList<>(events)).rejected()).isEmpty();
  }

  /** Sends each event in its own batch, the clock at the event's time. */
  public void sendEach(List<AuditEvent> events) {
    for (AuditEvent e : events) {
      send(e.epochMillis(), e);
    }
  }

  /** Moves the clock to {@code atMillis} and ticks. */
  public void tickAt(long atMillis) {
    clock.advanceTo(Instant.ofEpochMilli(atMillis));
    engine.tick();
  }

  @Override
  public void close() {
    engine.close();
  }
}
