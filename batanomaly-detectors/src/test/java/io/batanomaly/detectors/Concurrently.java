package io.batanomaly.detectors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one task on many threads released together, for the stress tests of lock-free code. A
 * task that throws, or does not finish within 30 seconds, fails the run.
 */
public final class Concurrently {
  private Concurrently() {}

  /** The work of one thread. */
  @FunctionalInterface
  public interface Task {
    /**
     * @param thread the thread's index, from 0
     * @throws Exception to fail the run
     */
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code task} on {@code threads} new threads at once and waits for all of them.
   *
   * @param threads how many threads
   * @param task the work of each thread
   * @throws ExecutionException if a task threw
   * @throws TimeoutException if a task did not finish within 30 seconds
   * @throws InterruptedException if the caller was interrupted while waiting
   */
  public static void run(int threads, Task task)
      throws ExecutionException, TimeoutException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      run(pool, threads, task);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Runs {@code task} {@code threads} times at once on a pool of at least that many threads, so
   * that many rounds can share one pool, and waits for all of them.
   *
   * @param pool the pool
   * @param threads how many copies of the task
   * @param task the work of each copy
   * @throws ExecutionException if a task threw
   * @throws TimeoutException if a task did not finish within 30 seconds
   * @throws InterruptedException if the caller was interrupted while waiting
   */
  public static void run(ExecutorService pool, int threads, Task task)
      throws ExecutionException, TimeoutException, InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      done.add(pool.submit(() -> {
        start.await();
        task.run(id);
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(30, TimeUnit.SECONDS);
    }
  }
}
