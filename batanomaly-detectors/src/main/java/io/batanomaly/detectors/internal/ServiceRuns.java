package io.batanomaly.detectors.internal;

import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.ServiceScope;

/**
 * Per-batch aggregation of events per service and bucket, so a detector adds a run of a
 * service's events to its shared {@link io.batanomaly.window.BucketRing} in one CAS instead of
 * one per event.
 *
 * <p>For each service of the batch ({@link AcceptedEvents#serviceIndex}) it holds one open run:
 * the bucket its events fall in and how many (and how many of them count as errors). An event
 * in the run's bucket is counted into it; an event in another bucket first hands the run to
 * the caller ({@link Flush}) and opens a new one. {@link #finish} hands over the runs still
 * open. So each service's events reach its ring in the order they came, grouped by bucket:
 * whatever the ring reports when a run is added (such as {@code OPENED}, which makes a
 * detector judge the bucket before) is what it would report for the run's first event, with
 * exactly the events before it counted. Only the order in which different services' runs are
 * added changes.
 *
 * <p>Not thread-safe: {@link #get} gives each thread its own, reused from batch to batch (a
 * nested use on the same thread gets a fresh one).
 */
public final class ServiceRuns {
  /** Receives one run of a service's events. */
  @FunctionalInterface
  public interface Flush {
    /**
     * Adds a run to the service's state.
     *
     * @param scope the service
     * @param bucketStart the start of the run's bucket, epoch milliseconds
     * @param events the events of the run, at least 1
     * @param errors how many of them count as errors
     */
    void run(ServiceScope scope, long bucketStart, int events, int errors);
  }

  private static final ThreadLocal<ServiceRuns> RUNS = ThreadLocal.withInitial(ServiceRuns::new);

  private long[] start = new long[256];
  private int[] count = new int[256];
  private int[] errors = new int[256];
  private ServiceScope[] scope = new ServiceScope[256];
  private int services;
  private boolean busy;

  private ServiceRuns() {}

  /**
   * Returns this thread's runs, empty, for a batch of {@code serviceCount} services.
   *
   * @param serviceCount {@link AcceptedEvents#serviceCount()}
   * @return the runs; call {@link #finish} when the batch is done, and {@link #release} in a
   *     {@code finally} block
   */
  public static ServiceRuns get(int serviceCount) {
    ServiceRuns r = RUNS.get();
    if (r.busy) {
      r = new ServiceRuns();
    }
    r.busy = true;
    if (r.count.length < serviceCount) {
      int n = Math.max(serviceCount, r.count.length * 2);
      r.start = new long[n];
      r.count = new int[n];
      r.errors = new int[n];
      r.scope = new ServiceScope[n];
    }
    r.services = serviceCount;
    return r;
  }

  /**
   * Counts one event.
   *
   * @param events the batch
   * @param i the event's index
   * @param t its time
   * @param error whether it counts as an error
   * @param bucketMillis the width of the buckets runs are cut by
   * @param flush receives the run this event closes, if any
   */
  public void add(AcceptedEvents events, int i, long t, boolean error, long bucketMillis,
      Flush flush) {
    int k = events.serviceIndex(i);
    int c = count[k];
    long s = start[k];
    if (c != 0 && t >= s && t - s < bucketMillis) {
      count[k] = c + 1;
      if (error) {
        errors[k]++;
      }
      return;
    }
    if (c != 0) {
      flush.run(scope[k], s, c, errors[k]);
    } else {
      scope[k] = events.scope(i);
    }
    start[k] = Math.floorDiv(t, bucketMillis) * bucketMillis;
    count[k] = 1;
    errors[k] = error ? 1 : 0;
  }

  /**
   * Hands over every run still open.
   *
   * @param flush receives each run
   */
  public void finish(Flush flush) {
    for (int k = 0; k < services; k++) {
      int c = count[k];
      if (c != 0) {
        count[k] = 0;
        flush.run(scope[k], start[k], c, errors[k]);
      }
    }
  }

  /** Empties the runs, handed over or not, for the thread's next batch. */
  public void release() {
    for (int k = 0; k < services; k++) {
      count[k] = 0;
      scope[k] = null;
    }
    services = 0;
    busy = false;
  }
}
