package io.batanomaly.detectors.performancedegradation;

import io.batanomaly.detectors.internal.TrackedVersion;
import io.batanomaly.detectors.internal.VersionGroup;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * The execution-time distributions of one policy version: the recent windows being filled, and
 * the baseline.
 *
 * <h2>Design</h2>
 *
 * <p>Event time is cut into tumbling windows of {@code windowMillis}. Each window being filled
 * has a {@link Slot}: its epoch and an {@link AtomicHistogram} (two significant digits,
 * microseconds, 1 µs to {@value #MAX_MICROS} µs; longer execution times count as the maximum).
 * The slots live in a ring of {@value #SLOTS} references indexed by {@code epoch mod SLOTS}.
 * Recording an execution time reads the slot reference; if it holds the event's epoch, the value
 * goes into its histogram with atomic increments (no lock, no allocation). An
 * {@code AtomicHistogram} records about twice as fast as a {@code ConcurrentHistogram}, whose
 * writer-reader phaser buys auto-resizing and safe reads during recording, neither of which a
 * window needs: it is read only once closed.
 * If the slot holds an older epoch, the recording thread installs a fresh slot by CAS: the only
 * allocation, once per window per version; the displaced slot, if it was never judged, is queued
 * for the tick. A slot holding a newer epoch, or an epoch already judged, makes the event late.
 *
 * <p>Judging happens on the engine tick, under this object's monitor (never on the ingest
 * path): once the tenant's watermark minus the allowed lateness has passed a window's end, its
 * histogram is compared with the baseline, then merged into the baseline, and its slot is
 * released. The baseline is two plain {@link Histogram}s, generations of up to
 * {@code baselineWindows} windows each: when the newer generation is full it becomes the older
 * one and the oldest is cleared, so the baseline always covers between one and two baseline
 * spans of the version's own history. A window judged degraded is kept out of the baseline, so
 * that a slowdown does not become its own reference, until it has lasted a whole baseline span:
 * then it is the new normal and enters the baseline.
 *
 * <p>Memory: a live window's histogram takes about 21 KB (1 µs to 60 s at two significant
 * digits); the baseline generations grow to the range actually seen (about 12 KB each up to
 * 100 ms); a version with one or two live windows takes some 45 to 70 KB.
 */
final class VersionLatency extends TrackedVersion {

  /** Windows the ring holds: the one filling, the one waiting for lateness, and spares. */
  static final int SLOTS = 4;

  /**
   * Windows pushed out of the ring before a tick judged them that are kept for the tick; beyond
   * this the oldest are dropped unjudged, so a host that never ticks does not pile them up.
   */
  static final int MAX_DISPLACED = 4;

  /** Longest recordable execution time: one minute, in microseconds. */
  static final long MAX_MICROS = 60_000_000L;

  /** One tumbling window being filled. */
  static final class Slot {
    final long epoch;
    final AtomicHistogram histogram = new AtomicHistogram(MAX_MICROS, 2);
    volatile boolean judged;

    Slot(long epoch) {
      this.epoch = epoch;
    }
  }

  final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);
  final ConcurrentLinkedQueue<Slot> displaced = new ConcurrentLinkedQueue<>();
  /** Windows dropped unjudged from {@link #displaced}, and the execution times they held. */
  final java.util.concurrent.atomic.LongAdder droppedWindows =
      new java.util.concurrent.atomic.LongAdder();
  final java.util.concurrent.atomic.LongAdder droppedSamples =
      new java.util.concurrent.atomic.LongAdder();
  /** Every window up to this epoch has been judged; later events for them are late. */
  volatile long judgedThrough = Long.MIN_VALUE;

  // guarded by this
  Histogram older = new Histogram(2);
  Histogram newer = new Histogram(2);
  long newerFirstEpoch = Long.MIN_VALUE;
  int degradedRun;
  Slot lastJudged;
  private Histogram merged;
  private PerformanceDegradationDetector.Stats baselineStats;

  VersionLatency(VersionGroup<?> group, String versionId, long firstSeen) {
    super(group, versionId, firstSeen);
  }

  /**
   * Records one execution time.
   *
   * @param epoch the event's window number
   * @param micros the execution time in microseconds
   * @return {@code false} if the event is late (its window was judged or recycled)
   */
  boolean record(long epoch, long micros) {
    Slot slot = slotFor(epoch);
    if (slot == null) {
      return false;
    }
    slot.histogram.recordValue(Math.min(micros, MAX_MICROS));
    return true;
  }

  /**
   * Records execution times of one window: what as many calls of {@link #record(long, long)}
   * would do with no other thread in between, with one look-up of the window's slot.
   *
   * @param epoch the window number of every one of them
   * @param micros the execution times in microseconds
   * @param n how many of {@code micros} to record
   * @return {@code false} if the events are late (their window was judged or recycled), and
   *     none was recorded
   */
  boolean record(long epoch, long[] micros, int n) {
    Slot slot = slotFor(epoch);
    if (slot == null) {
      return false;
    }
    AtomicHistogram h = slot.histogram;
    for (int i = 0; i < n; i++) {
      h.recordValue(Math.min(micros[i], MAX_MICROS));
    }
    return true;
  }

  /**
   * Returns the slot of a window to record into, installing a fresh one if the ring holds an
   * older window there.
   *
   * @return the slot, or {@code null} if the window was judged or recycled
   */
  private Slot slotFor(long epoch) {
    if (epoch <= judgedThrough) {
      return null;
    }
    int index = (int) Math.floorMod(epoch, (long) SLOTS);
    for (;;) {
      Slot slot = slots.get(index);
      if (slot != null && slot.epoch == epoch) {
        return slot;
      }
      if (slot != null && slot.epoch > epoch) {
        return null;
      }
      Slot fresh = new Slot(epoch);
      if (slots.compareAndSet(index, slot, fresh)) {
        if (slot != null && !slot.judged) {
          displaced.add(slot);
          // once per window and version, and the queue is short: size() is cheap here
          while (displaced.size() > MAX_DISPLACED) {
            Slot dropped = displaced.poll();
            if (dropped != null) {
              droppedWindows.increment();
              droppedSamples.add(dropped.histogram.getTotalCount());
            }
          }
        }
        return fresh;
      }
    }
  }

  /**
   * Returns the summary of the baseline, both generations merged. Computed once per change of
   * the baseline, into a histogram kept for the purpose. Call while holding this object's
   * monitor.
   *
   * @return the baseline's sample count, mean and percentiles
   */
  PerformanceDegradationDetector.Stats baselineStats() {
    if (baselineStats == null) {
      if (merged == null) {
        merged = new Histogram(2);
      }
      merged.reset();
      merged.add(older);
      merged.add(newer);
      baselineStats = PerformanceDegradationDetector.Stats.of(merged);
    }
    return baselineStats;
  }

  /**
   * Adds a judged window to the baseline. Call while holding this object's monitor.
   *
   * @param epoch the window
   * @param histogram its execution times
   * @param baselineWindows windows per generation
   */
  void absorb(long epoch, Histogram histogram, int baselineWindows) {
    if (newerFirstEpoch == Long.MIN_VALUE) {
      newerFirstEpoch = epoch;
    }
    baselineStats = null;
    newer.add(histogram);
    if (epoch - newerFirstEpoch + 1 >= baselineWindows) {
      Histogram cleared = older;
      cleared.reset();
      older = newer;
      newer = cleared;
      newerFirstEpoch = Long.MIN_VALUE;
    }
  }

  /**
   * Counts the baseline's execution times at or above a value. Call while holding this
   * object's monitor, after {@link #baselineStats()}.
   *
   * @param micros the value
   * @return the count
   */
  long baselineCountAtOrAbove(long micros) {
    baselineStats();
    return PerformanceDegradationDetector.countAtOrAbove(merged, micros);
  }
}
