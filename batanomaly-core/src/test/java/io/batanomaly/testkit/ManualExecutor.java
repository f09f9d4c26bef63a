package io.batanomaly.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An executor that runs nothing until told: jobs wait in a list until {@link #runAll()}. It can
 * also be told to reject every job, as a full or shut-down pool would. Thread-safe.
 */
public final class ManualExecutor implements Executor {
  private final List<Runnable> queued = new ArrayList<>();
  private volatile boolean rejecting;

  @Override
  public synchronized void execute(Runnable job) {
    if (rejecting) {
      throw new RejectedExecutionException("executor refuses jobs (test)");
    }
    queued.add(job);
  }

  /** @param rejecting whether {@link #execute} throws {@link RejectedExecutionException} */
  public void rejecting(boolean rejecting) {
    this.rejecting = rejecting;
  }

  /** @return how many jobs wait */
  public synchronized int queued() {
    return queued.size();
  }

  /**
   * Runs every waiting job on the calling thread, in submission order.
   *
   * @return how many ran
   */
  public int runAll() {
    List<Runnable> jobs;
    synchronized (this) {
      jobs = new ArrayList<>(queued);
      queued.clear();
    }
    jobs.forEach(Runnable::run);
    return jobs.size();
  }
}
