package io.batanomaly.kafka.internal;

import io.batanomaly.kafka.TimeMode;
import java.time.Instant;
import java.time.InstantSource;

/**
 * One task's engine clock: the host's clock under {@link TimeMode#WALL_CLOCK}, the task's event
 * time under {@link TimeMode#EVENT_TIME}. Written by the stream thread only; read also by the
 * engine's verification and notification threads, hence volatile.
 */
final class TaskClock implements InstantSource {
  private final InstantSource wall;
  private volatile long eventTime;

  TaskClock(InstantSource wall, long start) {
    this.wall = wall;
    this.eventTime = start;
  }

  /** Moves event time forward to {@code millis}; never backwards. */
  void advanceTo(long millis) {
    if (millis > eventTime) {
      eventTime = millis;
    }
  }

  long eventTime() {
    return eventTime;
  }

  @Override
  public long millis() {
    return wall == null ? eventTime : wall.millis();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
