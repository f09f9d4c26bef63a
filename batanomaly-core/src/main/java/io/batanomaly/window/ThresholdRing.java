package io.batanomaly.window;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The exact "k events within W" test of a threshold rule, for one key: keeps the {@code k}
 * latest event timestamps seen, whatever order they arrive in.
 *
 * <h2>Design</h2>
 *
 * <p>The ring is an array of {@code k} timestamps, initially empty ({@link Long#MIN_VALUE}).
 * Recording {@code t} scans for the smallest stored timestamp and, if {@code t} is larger,
 * replaces it by CAS; a failed CAS rescans. Values only ever grow, so the slot a thread found
 * smallest is still no larger than any other when its CAS succeeds: after any set of concurrent
 * records the ring holds exactly the {@code k} largest timestamps recorded. Out-of-order events
 * are therefore counted exactly, and "k events within W" holds exactly when the ring is full and
 * its smallest timestamp is at least its largest minus {@code W}.
 *
 * <p>Memory: {@code 8 * k} bytes plus about 32 bytes of headers. Thread-safe and lock-free.
 */
public final class ThresholdRing {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final long EMPTY = Long.MIN_VALUE;

  private final long[] latest;

  /**
   * Creates a ring for threshold {@code k}.
   *
   * @param k how many timestamps to keep, at least 1
   * @throws IllegalArgumentException if {@code k} is below 1
   */
  public ThresholdRing(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, but was " + k);
    }
    latest = new long[k];
    java.util.Arrays.fill(latest, EMPTY);
    VarHandle.releaseFence();
  }

  /** @return {@code k}, the number of timestamps kept */
  public int capacity() {
    return latest.length;
  }

  /**
   * Records an event.
   *
   * @param timeMillis its timestamp
   * @return {@code true} if it is now among the k latest, {@code false} if k later ones are
   *     already held
   */
  public boolean record(long timeMillis) {
    for (;;) {
      int minIndex = 0;
      long min = (long) SLOTS.getVolatile(latest, 0);
      for (int i = 1; i < latest.length; i++) {
        long v = (long) SLOTS.getVolatile(latest, i);
        if (v < min) {
          min = v;
          minIndex = i;
        }
      }
      if (timeMillis <= min && min != EMPTY) {
        return false;
      }
      if (SLOTS.compareAndSet(latest, minIndex, min, timeMillis)) {
        return true;
      }
    }
  }

  /**
   * Counts the kept timestamps inside {@code [fromMillis, toMillis]}. This is the exact number
   * of recorded events in that span as long as fewer than k recorded events are later than
   * {@code toMillis}.
   *
   * @param fromMillis span start, included
   * @param toMillis span end, included
   * @return the count, at most k
   */
  public int countWithin(long fromMillis, long toMillis) {
    int n = 0;
    for (int i = 0; i < latest.length; i++) {
      long v = (long) SLOTS.getAcquire(latest, i);
      if (v != EMPTY && v >= fromMillis && v <= toMillis) {
        n++;
      }
    }
    return n;
  }

  /**
   * Tells whether k events fall within {@code windowMillis} of each other, that is whether the
   * ring is full and its oldest timestamp is no more than {@code windowMillis} before its newest.
   *
   * @param windowMillis the window W
   * @return {@code true} if the threshold is reached
   */
  public boolean isReached(long windowMillis) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < latest.length; i++) {
      long v = (long) SLOTS.getAcquire(latest, i);
      if (v == EMPTY) {
        return false;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return max - min <= windowMillis;
  }

  /** @return the oldest kept timestamp, or {@link Long#MIN_VALUE} when fewer than k are kept */
  public long oldest() {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < latest.length; i++) {
      min = Math.min(min, (long) SLOTS.getAcquire(latest, i));
    }
    return min;
  }

  /** @return the newest kept timestamp, or {@link Long#MIN_VALUE} when none is kept */
  public long newest() {
    long max = Long.MIN_VALUE;
    for (int i = 0; i < latest.length; i++) {
      max = Math.max(max, (long) SLOTS.getAcquire(latest, i));
    }
    return max;
  }
}
