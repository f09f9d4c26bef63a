package io.batanomaly.internal;

import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands notifications to listeners off the ingest path.
 *
 * <p><b>Design.</b> Every listener has its own lane: a bounded queue and one daemon thread that
 * calls only that listener. {@link #accept} offers the notification to every lane and never
 * blocks: a lane whose queue is full drops it and counts the drop. So a listener that is slow or
 * hangs fills its own queue and loses its own notifications, while ingest and the other
 * listeners carry on. A listener that throws is logged and counted, and its lane moves on.
 *
 * <p>Drops are reported through a {@link DropReporter}: at most one warning per interval,
 * carrying how many were dropped since the previous warning, never one line per drop.
 *
 * <p><b>Concurrency.</b> {@link #accept} may be called from any number of threads; each lane's
 * queue is a thread-safe {@link ArrayBlockingQueue}, so per listener the notifications arrive in
 * the order the offers won the queue. Counters are {@link LongAdder}s.
 */
public final class NotificationDispatcher implements Consumer<AnomalyNotification>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);
  private static final long CLOSE_WAIT_MILLIS = 1000;

  private final List<Lane> lanes;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final DropReporter dropReporter;
  private volatile boolean closed;

  /**
   * Creates and starts the dispatcher, reporting drops at most once a minute to the log.
   *
   * @param listeners the listeners, one lane each
   * @param capacity queue capacity of each lane
   */
  public NotificationDispatcher(List<AnomalyListener> listeners, int capacity) {
    this(listeners, capacity, new DropReporter(TimeUnit.MINUTES.toNanos(1), System::nanoTime,
        LOG::warn));
  }

  /**
   * Creates and starts the dispatcher.
   *
   * @param listeners the listeners, one lane each
   * @param capacity queue capacity of each lane
   * @param dropReporter where drops are reported
   * @throws IllegalArgumentException if {@code capacity} is not positive
   */
  public NotificationDispatcher(List<AnomalyListener> listeners, int capacity,
      DropReporter dropReporter) {
    if (capacity <= 0) {
      throw new IllegalArgumentException(
          "queue capacity must be a positive number, but was '" + capacity + "'");
    }
    this.dropReporter = dropReporter;
    List<Lane> created = new ArrayList<>();
    int i = 0;
    for (AnomalyListener l : listeners) {
      created.add(new Lane(l, capacity, "batanomaly-notifier-" + i++));
    }
    this.lanes = List.copyOf(created);
    for (Lane lane : lanes) {
      lane.worker.start();
    }
  }

  @Override
  public void accept(AnomalyNotification n) {
    if (closed) {
      return;
    }
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      if (!lane.queue.offer(n)) {
        lane.dropped.increment();
        dropped.increment();
        dropReporter.dropped();
      }
    }
  }

  /** @return notifications waiting, over all lanes */
  public int queueDepth() {
    int depth = 0;
    for (Lane lane : lanes) {
      depth += lane.queue.size();
    }
    return depth;
  }

  /** @return notifications dropped because a lane's queue was full, over all lanes */
  public long dropped() {
    return dropped.sum();
  }

  /**
   * Returns the drops of one listener's lane.
   *
   * @param index the listener's position in the list given at construction
   * @return notifications that listener lost because its queue was full
   */
  public long dropped(int index) {
    return lanes.get(index).dropped.sum();
  }

  /** @return listener calls that returned normally */
  public long delivered() {
    return delivered.sum();
  }

  /** @return listener calls that threw */
  public long failures() {
    return failures.sum();
  }

  /**
   * Stops the lanes after they have drained their queues, waiting at most one second in all;
   * a lane still busy then (a hanging listener) is interrupted and what it holds is lost.
   */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
    for (Lane lane : lanes) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        if (left > 0) {
          lane.worker.join(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      lane.worker.interrupt();
    }
  }

  private final class Lane {
    final AnomalyListener listener;
    final BlockingQueue<AnomalyNotification> queue;
    final LongAdder dropped = new LongAdder();
    final Thread worker;

    Lane(AnomalyListener listener, int capacity, String name) {
      this.listener = listener;
      this.queue = new ArrayBlockingQueue<>(capacity);
      this.worker = new Thread(this::run, name);
      worker.setDaemon(true);
    }

    private void run() {
      while (!closed || !queue.isEmpty()) {
        AnomalyNotification n;
        try {
          n = queue.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          if (closed) {
            return;
          }
          continue;
        }
        if (n == null) {
          continue;
        }
        try {
          listener.onNotification(n);
          delivered.increment();
        } catch (RuntimeException | Error e) {
          failures.increment();
          LOG.warn("Listener {} failed on {} of anomaly {}", listener.getClass().getName(),
              n.kind(), n.anomaly().id(), e);
        }
      }
    }
  }

  /**
   * Counts drops and reports them at most once per interval: the first drop after a quiet
   * interval is reported at once, later ones are summed into the next report. Thread-safe; a
   * drop costs one {@link LongAdder} increment and one volatile read unless a report is due.
   */
  public static final class DropReporter {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> sink;
    private final LongAdder sinceReport = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong nextReport;

    /**
     * Creates a reporter.
     *
     * @param intervalNanos the shortest time between two reports
     * @param nanoTime the time source, in nanoseconds
     * @param sink receives each report
     */
    public DropReporter(long intervalNanos, LongSupplier nanoTime, Consumer<String> sink) {
      this.intervalNanos = intervalNanos;
      this.nanoTime = nanoTime;
      this.sink = sink;
      this.nextReport = new java.util.concurrent.atomic.AtomicLong(nanoTime.getAsLong());
    }

    /** Records one drop, and reports if a report is due. */
    public void dropped() {
      sinceReport.increment();
      long due = nextReport.get();
      long now = nanoTime.getAsLong();
      if (now - due >= 0 && nextReport.compareAndSet(due, now + intervalNanos)) {
        long count = sinceReport.sumThenReset();
        sink.accept("Notification queue full: " + count + " notifications dropped since the"
            + " last report; a listener is slower than the alerts it receives");
      }
    }
  }
}
