package io.batanomaly.detectors.internal;

import io.batanomaly.window.ThresholdRing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state of one count rule ("at least k events within W") for one key: the exact test,
 * a running count for the evidence, and the throttle that lets a lasting condition be reported
 * at most once per report step instead of on every event.
 *
 * <h2>Design</h2>
 *
 * <p>The exact test is a {@link ThresholdRing} of the k latest event times: the rule holds when
 * the ring is full and its oldest time is no more than W before its newest (events exactly W
 * apart are inside the window, W + 1 ms apart are not), whatever order events arrive in.
 *
 * <p>{@link #record} returns {@code true} to at most one caller per report step of event time
 * while the rule holds: the caller that wins the CAS on {@code lastReport}. Before the
 * threshold is reached it costs the ring's scan of k slots; once a report was made it costs one
 * read until the step has passed. Nothing is allocated.
 *
 * <p>The evidence count ({@link #episodeCount}) counts events since the current episode began,
 * an episode ending when no event arrives for longer than W. It is maintained with plain
 * atomic adds and a best-effort reset, so concurrent events at an episode boundary may be
 * counted in either episode; it is evidence, not the rule.
 *
 * <p>Thread-safe and lock-free.
 */
public final class ThresholdTracker {
  private static final VarHandle LAST_REPORT;
  private static final VarHandle EPISODE_COUNT;
  private static final VarHandle EPISODE_START;
  private static final VarHandle LAST_EVENT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      LAST_REPORT = l.findVarHandle(ThresholdTracker.class, "lastReport", long.class);
      EPISODE_COUNT = l.findVarHandle(ThresholdTracker.class, "episodeCount", long.class);
      EPISODE_START = l.findVarHandle(ThresholdTracker.class, "episodeStart", long.class);
      LAST_EVENT = l.findVarHandle(ThresholdTracker.class, "lastEvent", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** No report made yet: far enough in the past that {@code t - NEVER} cannot overflow. */
  private static final long NEVER = Long.MIN_VALUE / 4;

  private final ThresholdRing ring;
  private final long windowMillis;
  private final long reportStepMillis;
  private volatile long lastReport = NEVER;
  private volatile long episodeCount;
  private volatile long episodeStart = NEVER;
  private volatile long lastEvent = NEVER;

  /**
   * Creates a tracker.
   *
   * @param threshold k, the number of events that make the rule hold, at least 1
   * @param windowMillis W, in milliseconds
   * @param reportStepMillis the least event time between two reports while the rule holds
   * @throws IllegalArgumentException if {@code threshold} is below 1
   */
  public ThresholdTracker(int threshold, long windowMillis, long reportStepMillis) {
    this.ring = new ThresholdRing(threshold);
    this.windowMillis = windowMillis;
    this.reportStepMillis = reportStepMillis;
  }

  /**
   * Records one event and tells whether the caller should report the rule now.
   *
   * @param timeMillis the event time
   * @return {@code true} if the rule holds and no report was made within the report step
   */
  public boolean record(long timeMillis) {
    countForEvidence(timeMillis);
    boolean kept = ring.record(timeMillis);
    if (!kept) {
      return false;
    }
    long last = lastReport;
    if (timeMillis - last < reportStepMillis) {
      return false;
    }
    if (!ring.isReached(windowMillis)) {
      return false;
    }
    return LAST_REPORT.compareAndSet(this, last, timeMillis);
  }

  private void countForEvidence(long t) {
    long previous = lastEvent;
    if (t - previous > windowMillis) {
      // a new episode: best effort, a concurrent event may land on either side of the reset
      long start = episodeStart;
      if (start < t && EPISODE_START.compareAndSet(this, start, t)) {
        EPISODE_COUNT.setVolatile(this, 0L);
      }
    }
    EPISODE_COUNT.getAndAdd(this, 1L);
    while (t > previous && !LAST_EVENT.compareAndSet(this, previous, t)) {
      previous = lastEvent;
    }
  }

  /**
   * Tells whether the rule holds at event time {@code nowMillis}: the k latest events all lie
   * within {@code [nowMillis - W, nowMillis]}.
   *
   * @param nowMillis the event time now
   * @return whether the rule holds
   */
  public boolean holdsAt(long nowMillis) {
    long oldest = ring.oldest();
    return oldest != Long.MIN_VALUE && oldest >= nowMillis - windowMillis
        && ring.isReached(windowMillis);
  }

  /** @return whether the k latest events lie within W of each other */
  public boolean isReached() {
    return ring.isReached(windowMillis);
  }

  /** @return the oldest of the k latest event times, or {@link Long#MIN_VALUE} if fewer */
  public long oldest() {
    return ring.oldest();
  }

  /** @return the newest event time recorded, or {@link Long#MIN_VALUE} if none */
  public long newest() {
    return ring.newest();
  }

  /**
   * Counts the kept event times within a span.
   *
   * @param fromMillis span start, included
   * @param toMillis span end, included
   * @return the count, at most k
   */
  public int countWithin(long fromMillis, long toMillis) {
    return ring.countWithin(fromMillis, toMillis);
  }

  /** @return events counted since the current episode began */
  public long episodeCount() {
    return episodeCount;
  }

  /** @return the first event time of the current episode */
  public long episodeStart() {
    return episodeStart;
  }

  /** @return k */
  public int threshold() {
    return ring.capacity();
  }

  /** @return W in milliseconds */
  public long windowMillis() {
    return windowMillis;
  }

  /**
   * Returns how far past its threshold the rule is: the rate of the k latest events
   * ({@code k / span}) divided by the rate the threshold allows ({@code k / W}), that is
   * {@code W / span}, with the span at least 1 ms. 1.0 means exactly k events in exactly W.
   *
   * @return the excess, for {@link Severities#ofExcess}
   */
  public double excess() {
    long span = Math.max(1, ring.newest() - ring.oldest());
    return (double) windowMillis / span;
  }
}
