package io.batanomaly.detectors.internal;

import io.batanomaly.window.BucketRing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A key's judged bucket whose judges carry a window's sums from one closed bucket to the next,
 * reading only the buckets that entered and left, and what they need to know of the adds
 * meanwhile. The sums hold only while no late event changed a bucket they carry: every add into
 * a bucket older than the newest opened one lowers the late floor to its bucket ({@link #added},
 * {@link #opened}); a judge marks the bucket it opens as the newest, then takes the floor
 * ({@link #takeLateFloor}) and carries the sums only over buckets newer than it. The carried
 * sums belong to one judge at a time: {@link #tryJudge} is a try-lock, released by
 * {@link #release}; a judge that finds it held reads the rings instead.
 *
 * <p>Lock-free for adders: a volatile read per add, a CAS per bucket opened and per late add.
 */
public abstract class CarriedWindow extends JudgedBucket {
  /** The newest bucket before the first one opened. */
  public static final long NONE = Long.MIN_VALUE;
  /** What {@link #opened} returns for a bucket that is not newer than the newest opened. */
  public static final long BEHIND = Long.MAX_VALUE;

  private static final VarHandle NEWEST_OPENED;
  private static final VarHandle LATE_FLOOR;
  private static final VarHandle JUDGING;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      NEWEST_OPENED = l.findVarHandle(CarriedWindow.class, "newestOpened", long.class);
      LATE_FLOOR = l.findVarHandle(CarriedWindow.class, "lateFloor", long.class);
      JUDGING = l.findVarHandle(CarriedWindow.class, "judging", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The newest bucket opened, or NONE. */
  private volatile long newestOpened = NONE;
  /** The oldest bucket a late add went into since a judge last took it; MAX_VALUE if none. */
  private volatile long lateFloor = Long.MAX_VALUE;
  /** 1 while a judge holds the carried sums. */
  @SuppressWarnings("unused")
  private volatile int judging;

  /** Creates the state of a key with no bucket opened. */
  protected CarriedWindow() {}

  /**
   * Notes an add of events at {@code timeMillis} to {@code ring} that returned
   * {@link BucketRing#ADDED}: a late add if its bucket is older than the newest opened.
   *
   * @param ring the ring the events went into
   * @param timeMillis their time
   */
  public final void added(BucketRing ring, long timeMillis) {
    long newest = newestOpened;
    if (newest != NONE && timeMillis < ring.startOf(newest)) {
      late(ring.epoch(timeMillis));
    }
  }

  /**
   * Notes that bucket {@code epoch} was opened; one not newer than the newest opened counts as
   * a late add.
   *
   * @param epoch the bucket
   * @return the newest bucket before it ({@link #NONE} if none) when it became the newest,
   *     {@link #BEHIND} otherwise
   */
  public final long opened(long epoch) {
    long newest = newestOpened;
    while (epoch > newest) {
      if (NEWEST_OPENED.compareAndSet(this, newest, epoch)) {
        return newest;
      }
      newest = newestOpened;
    }
    late(epoch);
    return BEHIND;
  }

  private void late(long epoch) {
    long floor = lateFloor;
    while (epoch < floor && !LATE_FLOOR.compareAndSet(this, floor, epoch)) {
      floor = lateFloor;
    }
  }

  /** @return the newest bucket opened, or {@link #NONE} */
  public final long newestOpened() {
    return newestOpened;
  }

  /** @return whether the caller now holds the carried sums; if so it must {@link #release} */
  public final boolean tryJudge() {
    return JUDGING.compareAndSet(this, 0, 1);
  }

  /**
   * Takes the late floor, leaving none: the oldest bucket a late add went into since the last
   * call. Only the holder of the carried sums calls it.
   *
   * @return the bucket, or {@link Long#MAX_VALUE} if no add was late
   */
  public final long takeLateFloor() {
    return (long) LATE_FLOOR.getAndSet(this, Long.MAX_VALUE);
  }

  /** Gives the carried sums back after {@link #tryJudge} returned {@code true}. */
  public final void release() {
    JUDGING.setRelease(this, 0);
  }
}
