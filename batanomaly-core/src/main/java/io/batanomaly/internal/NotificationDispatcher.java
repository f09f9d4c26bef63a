package io.batanomaly.internal;

import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands notifications to listeners on one daemon thread, fed by a bounded queue. Offering never
 * blocks: when the queue is full the notification is dropped and counted, and a warning is
 * logged at most once a minute. A listener that throws is logged and counted; one that blocks
 * holds up only the other listeners, never ingest.
 */
public final class NotificationDispatcher implements Consumer<AnomalyNotification>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationDispatcher.class);

  private final List<AnomalyListener> listeners;
  private final BlockingQueue<AnomalyNotification> queue;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Thread worker;
  private volatile boolean closed;
  private volatile long lastDropLog;

  /**
   * Creates and starts the dispatcher.
   *
   * @param listeners the listeners, in call order
   * @param capacity queue capacity
   */
  public NotificationDispatcher(List<AnomalyListener> listeners, int capacity) {
    this.listeners = List.copyOf(listeners);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::run, "batanomaly-notifier");
    worker.setDaemon(true);
    if (!this.listeners.isEmpty()) {
      worker.start();
    }
  }

  @Override
  public void accept(AnomalyNotification n) {
    if (listeners.isEmpty() || closed) {
      return;
    }
    if (!queue.offer(n)) {
      dropped.increment();
      long now = System.nanoTime();
      if (now - lastDropLog > TimeUnit.MINUTES.toNanos(1) || lastDropLog == 0) {
        lastDropLog = now;
        LOG.warn("Notification queue full: {} notifications dropped so far", dropped.sum());
      }
    }
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
      for (AnomalyListener l : listeners) {
        try {
          l.onNotification(n);
          delivered.increment();
        } catch (RuntimeException | Error e) {
          failures.increment();
          LOG.warn("Listener {} failed on {} of anomaly {}", l.getClass().getName(), n.kind(),
              n.anomaly().id(), e);
        }
      }
    }
  }

  /** @return notifications waiting */
  public int queueDepth() {
    return queue.size();
  }

  /** @return notifications dropped because the queue was full */
  public long dropped() {
    return dropped.sum();
  }

  /** @return listener calls that returned normally */
  public long delivered() {
    return delivered.sum();
  }

  /** @return listener calls that threw */
  public long failures() {
    return failures.sum();
  }

  /** Stops the worker after it has drained the queue, waiting at most one second. */
  @Override
  public void close() {
    closed = true;
    if (worker.isAlive()) {
      try {
        worker.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker.interrupt();
    }
  }
}
