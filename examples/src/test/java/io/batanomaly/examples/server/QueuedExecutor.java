package io.batanomaly.examples.server;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** An executor that holds its jobs until the test runs them, so a test sees every state. */
final class QueuedExecutor implements Executor {
  private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();

  @Override
  public void execute(Runnable job) {
    jobs.add(job);
  }

  /** Runs every queued job on the calling thread. @return how many ran */
  int runAll() {
    int n = 0;
    for (Runnable job; (job = jobs.poll()) != null; n++) {
      job.run();
    }
    return n;
  }

  /** @return jobs waiting */
  int pending() {
    return jobs.size();
  }
}
