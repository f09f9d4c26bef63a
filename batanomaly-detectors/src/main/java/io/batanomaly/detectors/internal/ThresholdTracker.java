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
 * <p>Most keys of a brute-force detector see one event and never another, so a tracker starts
 * small (32 bytes: the shared {@link Rule} and the first event's time) and creates its counting
 * state (the ring, the throttle and the evidence: 8·k + 80 bytes, 160 for k = 10) only when a
 * second event arrives, or at once when k is 1. The first event's time is claimed by CAS; the
 * thread that publishes the counting state (by CAS, the losers' copies are dropped) has seeded
 * it with that time first, so every event is recorded exactly once whatever the interleaving.
 *
 * <p>{@link #record} returns {@code true} to at most one caller per report step of event time
 * while the rule holds: the caller that wins the CAS on {@code lastReport}. Before the
 * threshold is reached it costs the ring's scan of k slots; once a report was made it costs one
 * read until the step has passed. Nothing is allocated after the second event.
 *
 * <p>The evidence count ({@link #episodeCount}) counts events since the current episode began,
 * an episode ending when no event arrives for longer than W. It is maintained with plain
 * atomic adds and a best-effort reset, so concurrent events at an episode boundary may be
 * counted in either episode; it is evidence, not the rule.
 *
 * <p>Thread-safe and lock-free.
 */
public final class ThresholdTracker {
  private static final VarHandle FIRST;
  private static final VarHandle COUNTING;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      FIRST = l.findVarHandle(ThresholdTracker.class, "first", long.class);
      COUNTING = l.findVarHandle(ThresholdTracker.class, "counting", Counting.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** No report made yet: far enough in the past that {@code t - NEVER} cannot overflow. */
  private static final long NEVER = Long.MIN_VALUE / 4;
  /** No first event yet. */
  private static final long NONE = Long.MIN_VALUE;

  /**
   * The rule every tracker of one detector shares.
   *
   * @param threshold k, the number of events that make the rule hold, at least 1
   * @param windowMillis W, in milliseconds
   * @param reportStepMillis the least event time between two reports while the rule holds
   */
  public record Rule(int threshold, long windowMillis, long reportStepMillis) {
    /** The window divided by this is the report step of {@link #forWindow}. */
    public static final int REPORT_STEPS = 30;

    /**
     * Creates the rule of a count detector: while it holds, a key is reported at most once per
     * {@value #REPORT_STEPS}th of the window of event time, and at most once a second.
     *
     * @param threshold k, the number of events that make the rule hold, at least 1
     * @param windowMillis W, in milliseconds
     * @return the rule
     * @throws IllegalArgumentException if {@code threshold} is below 1
     */
    public static Rule forWindow(int threshold, long windowMillis) {
      return new Rule(threshold, windowMillis, Math.max(1000, windowMillis / REPORT_STEPS));
    }

    /**
     * Checks the threshold.
     *
     * @throws IllegalArgumentException if {@code threshold} is below 1
     */
    public Rule {
      if (threshold < 1) {
        throw new IllegalArgumentException("threshold must be at least 1, but was " + threshold);
      }
    }
  }

  private final Rule rule;
  /** The first event's time, while it may be the only one. */
  @SuppressWarnings("unused") // accessed through FIRST
  private volatile long first = NONE;
  /** The counting state, from the second event on (from the first when k is 1). */
  private volatile Counting counting;

  /**
   * Creates a tracker with a rule of its own.
   *
   * @param threshold k, the number of events that make the rule hold, at least 1
   * @param windowMillis W, in milliseconds
   * @param reportStepMillis the least event time between two reports while the rule holds
   * @throws IllegalArgumentException if {@code threshold} is below 1
   */
  public ThresholdTracker(int threshold, long windowMillis, long reportStepMillis) {
    this(new Rule(threshold, windowMillis, reportStepMillis));
  }

  /**
   * Creates a tracker of a shared rule.
   *
   * @param rule the rule
   */
  public ThresholdTracker(Rule rule) {
    this.rule = rule;
  }

  /** The ring, the report throttle and the evidence count of a tracker with two events. */
  private static final class Counting {
    private static final VarHandle LAST_REPORT;
    private static final VarHandle EPISODE_COUNT;
    private static final VarHandle EPISODE_START;
    private static final VarHandle LAST_EVENT;

    static {
      try {
        MethodHandles.Lookup l = MethodHandles.lookup();
        LAST_REPORT = l.findVarHandle(Counting.class, "lastReport", long.class);
        EPISODE_COUNT = l.findVarHandle(Counting.class, "episodeCount", long.class);
        EPISODE_START = l.findVarHandle(Counting.class, "episodeStart", long.class);
        LAST_EVENT = l.findVarHandle(Counting.class, "lastEvent", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final ThresholdRing ring;
    volatile long lastReport = NEVER;
    volatile long episodeCount;
    volatile long episodeStart = NEVER;
    volatile long lastEvent = NEVER;

    Counting(int threshold) {
      this.ring = new ThresholdRing(threshold);
    }

    boolean record(long timeMillis, Rule rule) {
      countForEvidence(timeMillis, rule.windowMillis());
      boolean kept = ring.record(timeMillis);
      if (!kept) {
        return false;
      }
      long last = lastReport;
      if (timeMillis - last < rule.reportStepMillis()) {
        return false;
      }
      if (!ring.isReached(rule.windowMillis())) {
        return false;
      }
      return LAST_REPORT.compareAndSet(this, last, timeMillis);
    }

    void countForEvidence(long t, long windowMillis) {
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
  }

  /**
   * Records one event and tells whether the caller should report the rule now.
   *
   * @param timeMillis the event time
   * @return {@code true} if the rule holds and no report was made within the report step
   */
  public boolean record(long timeMillis) {
    Counting c = counting;
    if (c == null) {
      if (rule.threshold() > 1 && FIRST.compareAndSet(this, NONE, timeMillis)) {
        // the only event so far: below any threshold above 1
        return false;
      }
      c = counting();
    }
    return c.record(timeMillis, rule);
  }

  /** Returns the counting state, creating and publishing it seeded with the first event. */
  private Counting counting() {
    Counting fresh = new Counting(rule.threshold());
    // set before any caller gets here when k > 1: a caller only arrives after losing the CAS on
    // it, or after the counting state was published
    long f = (long) FIRST.getVolatile(this);
    if (f != NONE) {
      fresh.countForEvidence(f, rule.windowMillis());
      fresh.ring.record(f);
    }
    Counting witness = (Counting) COUNTING.compareAndExchange(this, null, fresh);
    return witness == null ? fresh : witness;
  }

  private long firstOnly() {
    return (long) FIRST.getVolatile(this);
  }

  /**
   * Tells whether the rule holds at event time {@code nowMillis}: the k latest events all lie
   * within {@code [nowMillis - W, nowMillis]}.
   *
   * @param nowMillis the event time now
   * @return whether the rule holds
   */
  public boolean holdsAt(long nowMillis) {
    Counting c = counting;
    if (c == null) {
      return false;
    }
    long oldest = c.ring.oldest();
    return oldest != Long.MIN_VALUE && oldest >= nowMillis - rule.windowMillis()
        && c.ring.isReached(rule.windowMillis());
  }

  /** @return whether the k latest events lie within W of each other */
  public boolean isReached() {
    Counting c = counting;
    return c != null && c.ring.isReached(rule.windowMillis());
  }

  /** @return the oldest of the k latest event times, or {@link Long#MIN_VALUE} if fewer */
  public long oldest() {
    Counting c = counting;
    // with one event and k above 1, fewer than k are kept
    return c == null ? Long.MIN_VALUE : c.ring.oldest();
  }

  /** @return the newest event time recorded, or {@link Long#MIN_VALUE} if none */
  public long newest() {
    Counting c = counting;
    return c == null ? firstOnly() : c.ring.newest();
  }

  /**
   * Counts the kept event times within a span.
   *
   * @param fromMillis span start, included
   * @param toMillis span end, included
   * @return the count, at most k
   */
  public int countWithin(long fromMillis, long toMillis) {
    Counting c = counting;
    if (c != null) {
      return c.ring.countWithin(fromMillis, toMillis);
    }
    long f = firstOnly();
    return f != NONE && f >= fromMillis && f <= toMillis ? 1 : 0;
  }

  /** @return events counted since the current episode began */
  public long episodeCount() {
    Counting c = counting;
    if (c != null) {
      return c.episodeCount;
    }
    return firstOnly() == NONE ? 0 : 1;
  }

  /** @return the first event time of the current episode */
  public long episodeStart() {
    Counting c = counting;
    if (c != null) {
      return c.episodeStart;
    }
    long f = firstOnly();
    return f == NONE ? NEVER : f;
  }

  /** @return k */
  public int threshold() {
    return rule.threshold();
  }

  /** @return W in milliseconds */
  public long windowMillis() {
    return rule.windowMillis();
  }

  /**
   * Returns how far past its threshold the rule is: the rate of the k latest events
   * ({@code k / span}) divided by the rate the threshold allows ({@code k / W}), that is
   * {@code W / span}, with the span at least 1 ms. 1.0 means exactly k events in exactly W.
   *
   * @return the excess, for {@link Severities#ofExcess}
   */
  public double excess() {
    long span = Math.max(1, newest() - oldest());
    return (double) rule.windowMillis() / span;
  }
}
