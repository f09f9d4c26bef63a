package io.batanomaly.window;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free sliding window of counters over event time: a fixed ring of {@code buckets} time
 * buckets, each {@code bucketMillis} wide.
 *
 * <h2>Design</h2>
 *
 * <p>Each slot is one {@code long} packing the bucket's epoch (its index since the ring's base
 * time, high 32 bits) and its count (low 32 bits). A recording thread computes the epoch of the
 * event time and the slot it maps to ({@code epoch mod buckets}), then:
 *
 * <ul>
 *   <li>if the slot holds the same epoch, CASes in {@code count + delta};
 *   <li>if the slot holds an older epoch, the ring has rolled over: it CASes in
 *       {@code (epoch, delta)}, resetting the bucket and counting the event in one step;
 *   <li>if the slot holds a newer epoch, the event's bucket has already been recycled: the event
 *       is older than the ring holds and {@link #add} reports it as {@link #LATE}, uncounted.
 * </ul>
 *
 * <p>Because epoch and count change in a single CAS, a reset can never swallow a concurrent
 * increment: every successful call is counted exactly once, in exactly one bucket. Exactly one
 * caller observes {@link #OPENED} per bucket, which detectors use to evaluate the bucket that
 * just closed. Counts saturate at {@code 2^32 - 1} per bucket.
 *
 * <p>Readers ({@link #count}, {@link #sum}, {@link #counts}) read slots with acquire semantics and never block
 * writers; a sum taken while writers record is a consistent count of each bucket at the moment
 * it was read.
 *
 * <p>Finding the slot takes two divisions (epoch of the time, slot of the epoch), which cost more
 * than the CAS. So the ring remembers the epoch and slot it last moved forward to in one packed
 * {@code long} (written and read with opaque access, so it is never torn), and an event inside
 * that bucket, the common case, skips both divisions; so does an event in the bucket just after
 * it (the next slot, and the hint moves to it) or just before it (the slot before). A stale hint is harmless: it names a
 * correct (epoch, slot) pair, and the event's time is checked against that epoch's bounds. Any
 * other epoch is mapped to its slot with a multiplication instead of a division, and readers
 * summing a span walk consecutive slots.
 *
 * <p>Memory: {@code 8 * buckets} bytes plus a 16-byte array header and a 56-byte object.
 *
 * <p>Thread-safe: any number of threads may record and read concurrently.
 */
public final class BucketRing {

  /** {@link #add} result: counted into a bucket that already held this epoch. */
  public static final int ADDED = 0;
  /** {@link #add} result: counted, and this call opened the bucket (the previous one closed). */
  public static final int OPENED = 1;
  /** {@link #add} result: not counted, the event's bucket has already been recycled. */
  public static final int LATE = -1;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final long EMPTY = pack(Integer.MIN_VALUE, 0);
  private static final long COUNT_MASK = 0xFFFF_FFFFL;

  private static final VarHandle HINT;

  static {
    try {
      HINT = MethodHandles.lookup().findVarHandle(BucketRing.class, "hint", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final long NO_HINT = Long.MIN_VALUE;

  private final long[] slots;
  private final long bucketMillis;
  private final long baseEpoch;
  /** {@code floorMod(2^31, n)} and the offset that maps a relative epoch to its slot. */
  private final int slotOffset;
  /** {@code 2^64 / n + 1}, for {@link #slotOf}'s division-free remainder. */
  private final long reciprocal;
  /**
   * The relative epoch (high 32 bits) and slot (low 32 bits) of the bucket last added to, so
   * that {@link #add} finds the bucket of an event in or next to it without dividing. Written
   * and read with opaque access: a stale value only sends the caller to the exact computation.
   */
  @SuppressWarnings("unused")
  private long hint = NO_HINT;

  /**
   * Creates a ring.
   *
   * @param bucketMillis width of one bucket in milliseconds, at least 1
   * @param buckets number of buckets, at least 2
   * @param baseMillis a time near the events to come (such as the first event's time); epochs
   *     are counted from it, so the ring serves event times up to about {@code 2^31} buckets
   *     either side of it
   * @throws IllegalArgumentException if {@code bucketMillis} or {@code buckets} is too small
   */
  public BucketRing(long bucketMillis, int buckets, long baseMillis) {
    if (bucketMillis < 1) {
      throw new IllegalArgumentException("bucketMillis must be at least 1, but was " + bucketMillis);
    }
    if (buckets < 2) {
      throw new IllegalArgumentException("buckets must be at least 2, but was " + buckets);
    }
    this.bucketMillis = bucketMillis;
    this.slots = new long[buckets];
    this.baseEpoch = Math.floorDiv(baseMillis, bucketMillis);
    this.reciprocal = Long.divideUnsigned(-1L, buckets) + 1;
    // slotOf(rel) = floorMod(rel + baseEpoch, n) = (rel + 2^31) mod n + slotOffset, mod n
    int twoPow31Mod = (int) ((1L << 31) % buckets);
    this.slotOffset = Math.floorMod(Math.floorMod(baseEpoch, buckets) - twoPow31Mod, buckets);
    java.util.Arrays.fill(slots, EMPTY);
    VarHandle.releaseFence();
  }

  /**
   * Returns the number of buckets needed to keep {@code windowMillis} plus
   * {@code latenessMillis} of history, plus the bucket being filled.
   *
   * @param windowMillis the longest span a reader will sum
   * @param latenessMillis how late an event may arrive and still be counted
   * @param bucketMillis the bucket width
   * @return the bucket count
   */
  public static int bucketsFor(long windowMillis, long latenessMillis, long bucketMillis) {
    long n = (windowMillis + latenessMillis + bucketMillis - 1) / bucketMillis + 2;
    if (n > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("window too long for bucket width " + bucketMillis);
    }
    return (int) n;
  }

  private static long pack(int epoch, long count) {
    return ((long) epoch << 32) | (count & COUNT_MASK);
  }

  private static int epochOf(long slot) {
    return (int) (slot >> 32);
  }

  /**
   * Returns the epoch (bucket number) of a time. Epochs are consecutive integers; bucket
   * {@code e} covers {@code [startOf(e), startOf(e) + bucketMillis)}.
   *
   * @param timeMillis the time
   * @return its epoch
   */
  public long epoch(long timeMillis) {
    return Math.floorDiv(timeMillis, bucketMillis);
  }

  /**
   * Returns the start of a bucket.
   *
   * @param epoch the epoch
   * @return the bucket's first millisecond
   */
  public long startOf(long epoch) {
    return epoch * bucketMillis;
  }

  /** @return the bucket width in milliseconds */
  public long bucketMillis() {
    return bucketMillis;
  }

  /** @return the number of buckets */
  public int buckets() {
    return slots.length;
  }

  /**
   * Counts one event at {@code timeMillis}.
   *
   * @param timeMillis the event time
   * @return {@link #ADDED}, {@link #OPENED} or {@link #LATE}
   */
  public int add(long timeMillis) {
    return add(timeMillis, 1);
  }

  /**
   * Counts {@code delta} events at {@code timeMillis}.
   *
   * @param timeMillis the event time
   * @param delta how many, at least 1
   * @return {@link #ADDED}, {@link #OPENED} or {@link #LATE}
   */
  public int add(long timeMillis, int delta) {
    int epoch;
    int index;
    long h = (long) HINT.getOpaque(this);
    long offset = h == NO_HINT ? Long.MIN_VALUE
        : timeMillis - (baseEpoch + (int) (h >> 32)) * bucketMillis;
    int hinted = (int) (h >> 32);
    if (offset >= 0 && offset < bucketMillis) {
      // the common case: the same bucket as the last event, found without dividing
      epoch = hinted;
      index = (int) h;
    } else if (offset >= bucketMillis && offset - bucketMillis < bucketMillis
        && hinted < Integer.MAX_VALUE - 1) {
      // the next bucket, as time moves on: the next slot, and the hint moves forward to it
      epoch = hinted + 1;
      index = (int) h + 1 == slots.length ? 0 : (int) h + 1;
      HINT.setOpaque(this, ((long) epoch << 32) | index);
    } else if (offset < 0 && offset >= -bucketMillis && h != NO_HINT
        && hinted > Integer.MIN_VALUE + 2) {
      // the bucket before, for a late event: the slot before; the hint stays
      epoch = hinted - 1;
      index = (int) h == 0 ? slots.length - 1 : (int) h - 1;
    } else {
      long abs = Math.floorDiv(timeMillis, bucketMillis);
      epoch = relative(abs);
      index = slotOf(epoch);
      if (abs - baseEpoch == epoch && (h == NO_HINT || offset >= 0)) {
        // only forward moves replace the hint, so one late event does not evict it
        HINT.setOpaque(this, ((long) epoch << 32) | index);
      }
    }
    for (;;) {
      long current = (long) SLOTS.getVolatile(slots, index);
      int held = epochOf(current);
      if (held == epoch) {
        long count = current & COUNT_MASK;
        long next = Math.min(COUNT_MASK, count + delta);
        if (SLOTS.compareAndSet(slots, index, current, pack(epoch, next))) {
          return ADDED;
        }
      } else if (held < epoch) {
        if (SLOTS.compareAndSet(slots, index, current, pack(epoch, delta))) {
          return OPENED;
        }
      } else {
        return LATE;
      }
    }
  }

  /**
   * Returns the slot of a relative epoch, {@code floorMod(epoch + baseEpoch, n)}, without a
   * division instruction: the remainder of the unsigned 32-bit value {@code epoch + 2^31} by
   * {@code n} is computed by multiplication (Lemire, Kaser and Kurz, "Faster remainder by direct
   * computation", 2019; exact for every 32-bit numerator and divisor), then shifted by the
   * precomputed offset.
   */
  private int slotOf(int epoch) {
    long a = (long) epoch + (1L << 31);
    long low = reciprocal * a;
    int n = slots.length;
    long r = Math.multiplyHigh(low, n) + ((low >> 63) & n) + slotOffset;
    return (int) (r >= n ? r - n : r);
  }

  private int relative(long absEpoch) {
    long rel = absEpoch - baseEpoch;
    if (rel <= Integer.MIN_VALUE) {
      return Integer.MIN_VALUE + 1;
    }
    return rel >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) rel;
  }

  /**
   * Returns the count of one bucket, or 0 if the ring no longer (or not yet) holds it.
   *
   * @param epoch the epoch
   * @return its count
   */
  public long count(long epoch) {
    int rel = relative(epoch);
    long slot = (long) SLOTS.getAcquire(slots, slotOf(rel));
    return epochOf(slot) == rel ? slot & COUNT_MASK : 0;
  }

  /**
   * Sums the buckets {@code fromEpoch} to {@code toEpoch}, both included. Buckets the ring does
   * not hold count as 0.
   *
   * @param fromEpoch the first epoch
   * @param toEpoch the last epoch
   * @return the sum
   */
  public long sum(long fromEpoch, long toEpoch) {
    long total = 0;
    long first = Math.max(fromEpoch, toEpoch - slots.length + 1);
    if (first > toEpoch) {
      return 0;
    }
    if (!walkable(first, toEpoch)) {
      for (long e = first; e <= toEpoch; e++) {
        total += count(e);
      }
      return total;
    }
    // consecutive epochs sit in consecutive slots: one remainder, then increments
    int n = slots.length;
    int rel = (int) (first - baseEpoch);
    int index = slotOf(rel);
    for (long e = first; e <= toEpoch; e++, rel++) {
      long slot = (long) SLOTS.getAcquire(slots, index);
      if (epochOf(slot) == rel) {
        total += slot & COUNT_MASK;
      }
      index = index + 1 == n ? 0 : index + 1;
    }
    return total;
  }

  /**
   * Sums the squares of the counts of the buckets {@code fromEpoch} to {@code toEpoch}, both
   * included, for the variance of a per-bucket rate. Buckets the ring does not hold count as 0.
   *
   * @param fromEpoch the first epoch
   * @param toEpoch the last epoch
   * @return the sum of squared counts, in floating point (a square can exceed a {@code long})
   */
  public double sumOfSquares(long fromEpoch, long toEpoch) {
    double total = 0;
    long first = Math.max(fromEpoch, toEpoch - slots.length + 1);
    if (first > toEpoch) {
      return 0;
    }
    if (!walkable(first, toEpoch)) {
      for (long e = first; e <= toEpoch; e++) {
        double c = count(e);
        total += c * c;
      }
      return total;
    }
    int n = slots.length;
    int rel = (int) (first - baseEpoch);
    int index = slotOf(rel);
    for (long e = first; e <= toEpoch; e++, rel++) {
      long slot = (long) SLOTS.getAcquire(slots, index);
      if (epochOf(slot) == rel) {
        double c = slot & COUNT_MASK;
        total += c * c;
      }
      index = index + 1 == n ? 0 : index + 1;
    }
    return total;
  }

  /**
   * Copies the counts of the buckets {@code fromEpoch} to {@code toEpoch}, both included, into
   * {@code dest}, the count of {@code fromEpoch} first. As in {@link #sum}, buckets the ring does
   * not hold, and any more than {@link #buckets()} before {@code toEpoch}, count as 0. One pass over the slots, for a reader that needs more than one statistic of a span (say
   * its sum and its sum of squares) without reading the ring twice.
   *
   * @param fromEpoch the first epoch
   * @param toEpoch the last epoch
   * @param dest receives the counts from index 0
   * @return the number of counts written: {@code toEpoch - fromEpoch + 1}, or 0 when
   *     {@code fromEpoch > toEpoch}
   * @throws IllegalArgumentException if {@code dest} is shorter than the span
   */
  public int counts(long fromEpoch, long toEpoch, long[] dest) {
    if (fromEpoch > toEpoch) {
      return 0;
    }
    long last = toEpoch - fromEpoch;
    if (last < 0 || last >= dest.length) {
      throw new IllegalArgumentException("dest holds " + dest.length + " counts, but the span "
          + fromEpoch + ".." + toEpoch + " has more");
    }
    int length = (int) last + 1;
    long first = Math.max(fromEpoch, toEpoch - slots.length + 1);
    int j = (int) (first - fromEpoch);
    java.util.Arrays.fill(dest, 0, j, 0);
    if (!walkable(first, toEpoch)) {
      for (long e = first; e <= toEpoch; e++) {
        dest[j++] = count(e);
      }
      return length;
    }
    int n = slots.length;
    int rel = (int) (first - baseEpoch);
    int index = slotOf(rel);
    for (; j < length; j++, rel++) {
      long slot = (long) SLOTS.getAcquire(slots, index);
      dest[j] = epochOf(slot) == rel ? slot & COUNT_MASK : 0;
      index = index + 1 == n ? 0 : index + 1;
    }
    return length;
  }

  /**
   * Tells whether a non-empty span of epochs lies inside the representable relative epochs, so
   * its slots can be walked in order; spans touching the clamped ends take the exact path.
   */
  private boolean walkable(long first, long last) {
    return first > last || (first >= baseEpoch + Integer.MIN_VALUE + 2
        && last <= baseEpoch + Integer.MAX_VALUE - 1);
  }

  /**
   * Returns the newest epoch any bucket holds.
   *
   * @return the newest epoch, or {@link Long#MIN_VALUE} when nothing was recorded
   */
  public long newestEpoch() {
    int newest = Integer.MIN_VALUE;
    for (int i = 0; i < slots.length; i++) {
      newest = Math.max(newest, epochOf((long) SLOTS.getAcquire(slots, i)));
    }
    return newest == Integer.MIN_VALUE ? Long.MIN_VALUE : newest + baseEpoch;
  }
}
