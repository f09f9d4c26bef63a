package io.batanomaly.testkit;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A replay of events in accelerated time against an engine with a {@link ManualClock}: events
 * are sorted by event time and ingested in batches of one simulated second; before each batch
 * the clock moves to the batch's time, and the engine ticks every {@link #TICK} of simulated
 * time. After the last event, the clock can run on for a quiet period, still ticking.
 */
public final class Scenario {
  /** Simulated time between ticks. */
  public static final Duration TICK = Duration.ofSeconds(10);

  private final List<AuditEvent> events;
  private final Duration quietAfter;

  private Scenario(List<AuditEvent> events, Duration quietAfter) {
    List<AuditEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(AuditEvent::epochMillis));
    this.events = List.copyOf(sorted);
    this.quietAfter = quietAfter;
  }

  /** @param events the events, in any order; @return a scenario of them */
  public static Scenario of(List<AuditEvent> events) {
    return new Scenario(events, Duration.ZERO);
  }

  /** @param quiet how long the clock runs on after the last event; @return a new scenario */
  public Scenario thenQuietFor(Duration quiet) {
    return new Scenario(events, quietAfter.plus(quiet));
  }

  /** @return the events, sorted by time */
  public List<AuditEvent> events() {
    return events;
  }

  /**
   * Plays the scenario.
   *
   * @param engine an engine built with {@code clock} and {@code autoTick(false)}
   * @param clock its clock
   * @return the result of every batch
   */
  public List<IngestResult> play(AnomalyEngine engine, ManualClock clock) {
    List<IngestResult> results = new ArrayList<>();
    playUntil(engine, clock, () -> false, results);
    return results;
  }

  /**
   * Plays the scenario until {@code done} answers true, asked after every batch and tick.
   *
   * @param engine an engine built with {@code clock} and {@code autoTick(false)}
   * @param clock its clock
   * @param done tells when to stop
   * @return whether {@code done} stopped it before the end
   */
  public boolean playUntil(AnomalyEngine engine, ManualClock clock,
      java.util.function.BooleanSupplier done) {
    return playUntil(engine, clock, done, new ArrayList<>());
  }

  private boolean playUntil(AnomalyEngine engine, ManualClock clock,
      java.util.function.BooleanSupplier done, List<IngestResult> results) {
    long nextTick = Long.MIN_VALUE;
    int i = 0;
    while (i < events.size()) {
      long second = Math.floorDiv(events.get(i).epochMillis(), 1000);
      List<AuditEvent> batch = new ArrayList<>();
      while (i < events.size() && Math.floorDiv(events.get(i).epochMillis(), 1000) == second) {
        batch.add(events.get(i++));
      }
      long batchTime = (second + 1) * 1000 - 1;
      if (nextTick == Long.MIN_VALUE) {
        nextTick = batchTime;
      }
      while (nextTick <= batchTime) {
        clock.advanceTo(Instant.ofEpochMilli(nextTick));
        engine.tick();
        nextTick += TICK.toMillis();
        if (done.getAsBoolean()) {
          return true;
        }
      }
      clock.advanceTo(Instant.ofEpochMilli(batchTime));
      results.add(engine.ingest(batch));
      if (done.getAsBoolean()) {
        return true;
      }
    }
    long end = clock.millis() + quietAfter.toMillis();
    if (nextTick == Long.MIN_VALUE) {
      nextTick = clock.millis();
    }
    while (nextTick <= end) {
      clock.advanceTo(Instant.ofEpochMilli(nextTick));
      engine.tick();
      nextTick += TICK.toMillis();
      if (done.getAsBoolean()) {
        return true;
      }
    }
    return false;
  }
}
