package io.batanomaly.notify;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs delivery attempts, now or after a delay. The notifiers take all their timing from one of
 * these and from their clock, so a test can supply a scheduler it advances by hand instead of
 * sleeping; the default, {@link #ofThreads(String, int)}, runs attempts on a
 * {@link java.util.concurrent.ScheduledExecutorService}.
 *
 * <p>Implementations must be thread-safe: attempts schedule their own retries.
 */
public interface DeliveryScheduler extends AutoCloseable {

  /**
   * Runs a task after a delay.
   *
   * @param task the task
   * @param delay how long to wait, zero for as soon as possible
   * @throws RejectedExecutionException if the scheduler is closed
   */
  void schedule(Runnable task, Duration delay);

  /** Stops running tasks; tasks not yet started are dropped. Idempotent. */
  @Override
  void close();

  /**
   * Returns a scheduler that runs attempts on a pool of daemon threads. An attempt holds its
   * thread until the receiver answers or the request timeout expires, so {@code threads} is
   * how many receivers may hang at once before the others wait.
   *
   * @param name the prefix of the thread names
   * @param threads the pool size, at least 1
   * @return the scheduler
   * @throws IllegalArgumentException if {@code threads} is less than 1
   */
  static DeliveryScheduler ofThreads(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, but was '" + threads + "'");
    }
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
    return new DeliveryScheduler() {
      @Override
      public void schedule(Runnable task, Duration delay) {
        pool.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public void close() {
        pool.shutdownNow();
      }
    };
  }
}
