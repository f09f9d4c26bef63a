package io.batanomaly.benchmarks;

import io.batanomaly.AuditEvent;
import java.lang.reflect.Field;
import java.util.List;
import sun.misc.Unsafe;

/**
 * Replays an {@link EventStream} forever, with event time that keeps advancing.
 *
 * <p>A benchmark ingests far more events than fit in memory, and events are immutable, so the
 * cursor moves each batch it has handed out one stream span later in event time before the
 * stream wraps around to it again: after the last batch the first one follows seamlessly, and
 * windows keep rolling as in a live stream. The shift writes the {@code epochMillis} field of
 * the 1,000 events of the batch just consumed through {@code sun.misc.Unsafe} (the only way to
 * change a final field of an existing object without allocating a replacement); it costs about
 * a nanosecond per event and every benchmark, the floor included, pays it alike.
 *
 * <p>Not thread-safe: each benchmark thread owns its cursor and its stream.
 */
public final class ReplayCursor {
  private static final Unsafe UNSAFE;
  private static final long EPOCH_MILLIS;

  static {
    try {
      Field f = Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      UNSAFE = (Unsafe) f.get(null);
      EPOCH_MILLIS = UNSAFE.objectFieldOffset(AuditEvent.class.getDeclaredField("epochMillis"));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final EventStream stream;
  private final long shift;
  private int next;
  private int previous = -1;

  /**
   * Creates a cursor at the stream's first batch.
   *
   * @param stream the stream, owned by this cursor from now on
   */
  public ReplayCursor(EventStream stream) {
    this.stream = stream;
    // one event interval after the last event of the stream
    this.shift = stream.spanMillis();
  }

  /**
   * Moves the previously returned batch one span later and returns the next batch.
   *
   * @return the batch, valid until the next call
   */
  public List<AuditEvent> next() {
    return stream.batchView(advance());
  }

  /**
   * Like {@link #next()}, but returns the batch's array.
   *
   * @return the events, valid until the next call
   */
  public AuditEvent[] nextArray() {
    return stream.batch(advance());
  }

  private int advance() {
    if (previous >= 0) {
      AuditEvent[] done = stream.batch(previous);
      for (AuditEvent e : done) {
        UNSAFE.putLong(e, EPOCH_MILLIS, UNSAFE.getLong(e, EPOCH_MILLIS) + shift);
      }
    }
    int i = next;
    previous = i;
    next = i + 1 == stream.batchCount() ? 0 : i + 1;
    return i;
  }

  /**
   * Returns the largest event time of the batch {@link #next()} would return, so a clock can be
   * set before ingesting it.
   *
   * @return epoch milliseconds
   */
  public long peekMaxTime() {
    AuditEvent[] b = stream.batch(next);
    long shiftNow = next == previous ? shift : 0;
    return b[b.length - 1].epochMillis() + shiftNow;
  }
}
