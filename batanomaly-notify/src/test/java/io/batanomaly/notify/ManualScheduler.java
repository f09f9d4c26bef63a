package io.batanomaly.notify;

import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A scheduler that runs tasks only when the test says so: {@link #runDue()} runs, on the
 * calling thread, every task whose time on the manual clock has come, including tasks those
 * tasks schedule for now.
 */
final class ManualScheduler implements DeliveryScheduler {
  private record Task(long due, long seq, Runnable run) {}

  private final ManualClock clock;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
      ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long seq;
  private boolean closed;

  ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void schedule(Runnable task, Duration delay) {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    tasks.add(new Task(clock.millis() + delay.toMillis(), seq++, task));
  }

  /** Runs every task that is due; returns how many ran. */
  int runDue() {
    int ran = 0;
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.due > clock.millis()) {
          return ran;
        }
        tasks.poll();
      }
      t.run.run();
      ran++;
    }
  }

  /** Moves the clock forward and runs what became due. */
  int advance(Duration d) {
    clock.advance(d);
    return runDue();
  }

  /** @return the wait until the next task, or null if none is scheduled */
  synchronized Duration nextDelay() {
    Task t = tasks.peek();
    return t == null ? null : Duration.ofMillis(t.due - clock.millis());
  }

  synchronized int size() {
    return tasks.size();
  }

  @Override
  public synchronized void close() {
    closed = true;
    tasks.clear();
  }
}
