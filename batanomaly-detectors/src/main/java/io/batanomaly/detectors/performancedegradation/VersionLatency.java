package io.batanomaly.detectors.performancedegradation;

import io.batanomaly.detectors.internal.TrackedVersion;
import io.batanomaly.detectors.internal.VersionGroup;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The execution-time distributions of one policy version: the recent windows being filled, and
 * the baseline.
 *
 * <h2>Design</h2>
 *
 * <p>Event time is cut into tumbling windows of {@code windowMillis}. Each window being filled
 * has a {@link Slot}: its epoch and a {@link ConcurrentHistogram} (two significant digits,
 * microseconds, auto-resizing). The slots live in a ring of {@value #SLOTS} references indexed by
 * {@code epoch mod SLOTS}. Recording an execution time reads the slot reference; if it holds the
 * event's epoch, the value goes into its histogram with HdrHistogram's wait-free
 * {@code recordValue} (no lock, no allocation once the histogram has grown to the value range).
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
 * <p>Memory: a histogram covering 1 µs to 100 ms at two significant digits holds about 1,400
 * counters; a version keeps one or two live windows (concurrent histograms keep two counter
 * arrays) and two baseline generations, some 50 to 70 KB in all.
 */
final class VersionLatency extends TrackedVersion {

  /** Windows the ring holds: the one filling, the one waiting for lateness, and spares. */
  static final int SLOTS = 4;

  /** Longest recordable execution time: one hour, in microseconds. */
  static final long MAX_MICROS = 3_600_000_000L;

  /** One tumbling window being filled. */
  static final class Slot {
    final long epoch;
    final ConcurrentHistogram histogram = new ConcurrentHistogram(2);
    volatile boolean judged;

    Slot(long epoch) {
      this.epoch = epoch;
    }
  }

  final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);
  final ConcurrentLinkedQueue<Slot> displaced = new ConcurrentLinkedQueue<>();
  /** Every window up to this epoch has been judged; later events for them are late. */
  volatile long judgedThrough = Long.MIN_VALUE;
  volatile boolean holding;

  // guarded by this
  Histogram older = new Histogram(2);
  Histogram newer = new Histogram(2);
  long newerFirstEpoch = Long.MIN_VALUE;
  int degradedRun;
  Slot lastJudged;

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
    if (epoch <= judgedThrough) {
      return false;
    }
    long value = Math.min(micros, MAX_MICROS);
    int index = (int) Math.floorMod(epoch, (long) SLOTS);
    for (;;) {
      Slot slot = slots.get(index);
      if (slot != null && slot.epoch == epoch) {
        slot.histogram.recordValue(value);
        return true;
      }
      if (slot != null && slot.epoch > epoch) {
        return false;
      }
      Slot fresh = new Slot(epoch);
      if (slots.compareAndSet(index, slot, fresh)) {
        if (slot != null && !slot.judged) {
          displaced.add(slot);
        }
        fresh.histogram.recordValue(value);
        return true;
      }
    }
  }

  /**
   * Returns the baseline: both generations merged. Call while holding this object's monitor.
   *
   * @return a new histogram
   */
  Histogram baseline() {
    Histogram merged = new Histogram(2);
    merged.add(older);
    merged.add(newer);
    return merged;
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
    newer.add(histogram);
    if (epoch - newerFirstEpoch + 1 >= baselineWindows) {
      Histogram cleared = older;
      cleared.reset();
      older = newer;
      newer = cleared;
      newerFirstEpoch = Long.MIN_VALUE;
    }
  }

  @Override
  protected boolean isProtected(long nowMillis) {
    return holding;
  }
}
