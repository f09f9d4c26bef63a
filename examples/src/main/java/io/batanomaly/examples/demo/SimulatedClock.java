package io.batanomaly.examples.demo;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine clock of a replay: simulated time, moved forward by the replay as event time
 * advances, never by the wall clock. Thread-safe.
 */
public final class SimulatedClock implements InstantSource {
  private final AtomicLong millis;

  /**
   * Creates a clock.
   *
   * @param start the initial simulated time
   */
  public SimulatedClock(Instant start) {
    this.millis = new AtomicLong(start.toEpochMilli());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  /**
   * Moves the clock to {@code epochMillis} if that is later than now; simulated time never runs
   * backwards.
   *
   * @param epochMillis the new time in epoch milliseconds
   */
  public void advanceTo(long epochMillis) {
    millis.accumulateAndGet(epochMillis, Math::max);
  }
}
