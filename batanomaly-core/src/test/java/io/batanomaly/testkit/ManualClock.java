package io.batanomaly.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. Thread-safe. */
public final class ManualClock implements InstantSource {
  private final AtomicLong millis;

  /**
   * Creates a clock.
   *
   * @param start the initial time
   */
  public ManualClock(Instant start) {
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

  /** @param d how far to move forward (or back, if negative); @return the new time */
  public Instant advance(Duration d) {
    return Instant.ofEpochMilli(millis.addAndGet(d.toMillis()));
  }

  /** @param t the new time, later or earlier */
  public void set(Instant t) {
    millis.set(t.toEpochMilli());
  }

  /** Moves to {@code t} if it is later than now. */
  public void advanceTo(Instant t) {
    millis.accumulateAndGet(t.toEpochMilli(), Math::max);
  }
}
