package io.batanomaly.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The engine clock of a benchmark: follows the newest event time replayed by any thread, so
 * events are never "in the future" and processing-time state moves with the stream.
 */
public final class ReplayClock implements InstantSource {
  private static final VarHandle NOW;

  static {
    try {
      NOW = MethodHandles.lookup().findVarHandle(ReplayClock.class, "now", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long now = EventStream.START_MILLIS;

  /**
   * Moves the clock forward to {@code millis} if that is later.
   *
   * @param millis epoch milliseconds
   */
  public void advanceTo(long millis) {
    long current = now;
    while (millis > current) {
      if (NOW.compareAndSet(this, current, millis)) {
        return;
      }
      current = now;
    }
  }

  @Override
  public long millis() {
    return now;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(now);
  }
}
