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
 * in the run's bucket is counted into it; an event in another bucket closes the run (appending
 * it to the batch's list of runs) and opens a new one. At the end of the batch the runs still
 * open are appended, in the order of the services' indexes. A detector then adds the runs to
 * its state in list order: each service's events reach its ring in the order they came, grouped
 * by bucket, so whatever the ring reports when a run is added (such as {@code OPENED}, which
 * makes a detector judge the bucket before) is what it would report for the run's first event,
 * with exactly the events before it counted. Only the order in which different services' runs
 * are added changes.
 *
 * <p>Cutting the batch into runs is one tight pass over the events that touches nothing but
 * this object's arrays: the per-event work is two array reads, a compare and an increment; a
 * new run (about one event in six on a batch of many services) takes a short out-of-line path.
 * The detector's own work (finding the service's state, the CAS, judging) then runs once per run
 * in a loop of its own, with no call through an interface per event.
 *
 * <p>Not thread-safe: {@link #get} gives each thread its own, reused from batch to batch (a
 * nested use on the same thread gets a fresh one).
 */
public final class ServiceRuns {
  private static final ThreadLocal<ServiceRuns> RUNS = ThreadLocal.withInitial(ServiceRuns::new);

  /**
   * Per service index: the open run's bucket start, its events (0: none open) and errors. A
   * run's scope is the batch's ({@link AcceptedEvents#serviceScope}): no reference is stored
   * here (storing one into an array the collector has promoted costs a fence under G1).
   */
  private long[] start = new long[256];
  private int[] count = new int[256];
  private int[] errors = new int[256];
  private int services;
  private AcceptedEvents events;

  /** The runs of the batch, in the order they closed. */
  private int[] runService = new int[1024];
  private long[] runStart = new long[1024];
  private int[] runCount = new int[1024];
  private int[] runErrors = new int[1024];
  private int runs;

  private boolean busy;

  /** No bucket start to compare with yet: the batch's first new run divides. */
  private static final long NO_REFERENCE = Long.MIN_VALUE;
  /** Widths up to which bucket starts two buckets away are computed without overflow. */
  private static final long MAX_NEAR_BUCKET = Long.MAX_VALUE / 8;
  /** The start of a bucket of this batch, the one of its first new run. */
  private long reference = NO_REFERENCE;

  private ServiceRuns() {}

  /**
   * Returns this thread's runs, empty, for a batch.
   *
   * @param events the batch
   * @return the runs; call {@link #release} in a {@code finally} block when done with them
   */
  public static ServiceRuns get(AcceptedEvents events) {
    ServiceRuns r = RUNS.get();
    if (r.busy) {
      r = new ServiceRuns();
    }
    r.busy = true;
    int serviceCount = events.serviceCount();
    if (r.count.length < serviceCount) {
      int n = Math.max(serviceCount, r.count.length * 2);
      r.start = new long[n];
      r.count = new int[n];
      r.errors = new int[n];
    }
    // every event opens at most one run
    int size = events.size();
    if (r.runCount.length < size) {
      int n = Math.max(size, r.runCount.length * 2);
      r.runService = new int[n];
      r.runStart = new long[n];
      r.runCount = new int[n];
      r.runErrors = new int[n];
    }
    r.services = serviceCount;
    r.runs = 0;
    r.events = events;
    return r;
  }

  /**
   * Cuts every event of the batch into runs of {@code bucketMillis}-wide buckets. Errors are
   * not counted ({@link #errors} is 0).
   *
   * @param events the batch, the one given to {@link #get}
   * @param bucketMillis the width of the buckets runs are cut by
   */
  public void cutAll(AcceptedEvents events, long bucketMillis) {
    reference = NO_REFERENCE;
    long[] start = this.start;
    int[] count = this.count;
    for (int i = 0, n = events.size(); i < n; i++) {
      int k = events.serviceIndex(i);
      long t = events.epochMillis(i);
      long s = start[k];
      int c = count[k];
      if (c != 0 && t >= s && t - s < bucketMillis) {
        count[k] = c + 1;
      } else {
        open(k, t, false, bucketMillis);
      }
    }
    closeOpenRuns();
  }

  /**
   * Cuts the responses of the batch (events with an HTTP status) into runs of
   * {@code bucketMillis}-wide buckets, counting as errors those with a status from 400 to 599.
   * Events without a status are left out.
   *
   * @param events the batch, the one given to {@link #get}
   * @param bucketMillis the width of the buckets runs are cut by
   */
  public void cutResponses(AcceptedEvents events, long bucketMillis) {
    reference = NO_REFERENCE;
    long[] start = this.start;
    int[] count = this.count;
    int[] errors = this.errors;
    for (int i = 0, n = events.size(); i < n; i++) {
      int status = events.status(i);
      if (status == 0) {
        continue;
      }
      boolean error = status >= 400 && status <= 599;
      int k = events.serviceIndex(i);
      long t = events.epochMillis(i);
      long s = start[k];
      int c = count[k];
      if (c != 0 && t >= s && t - s < bucketMillis) {
        count[k] = c + 1;
        errors[k] += error ? 1 : 0;
      } else {
        open(k, t, error, bucketMillis);
      }
    }
    closeOpenRuns();
  }

  /** Closes service {@code k}'s open run, if any, and opens one at time {@code t}. */
  private void open(int k, long t, boolean error, long bucketMillis) {
    int c = count[k];
    if (c != 0) {
      append(k, start[k], c, errors[k]);
    }
    start[k] = bucketStart(t, bucketMillis);
    count[k] = 1;
    errors[k] = error ? 1 : 0;
  }

  /**
   * Returns the start of the bucket of {@code t}. A batch's events lie within a few buckets of
   * each other: found by comparison from the bucket of the batch's first new run, a division
   * (tens of cycles) is left for times further away.
   */
  private long bucketStart(long t, long bucketMillis) {
    long ref = reference;
    // same signs: t - ref cannot overflow; the reference is set only when the width and its
    // own size leave room for two buckets either side of it
    if (ref != NO_REFERENCE && (t ^ ref) >= 0) {
      long d = t - ref;
      if (d >= 0) {
        if (d < bucketMillis) {
          return ref;
        }
        if (d < 2 * bucketMillis) {
          return ref + bucketMillis;
        }
      } else {
        if (d >= -bucketMillis) {
          return ref - bucketMillis;
        }
        if (d >= -2 * bucketMillis) {
          return ref - 2 * bucketMillis;
        }
      }
    }
    long start = Math.floorDiv(t, bucketMillis) * bucketMillis;
    if (ref == NO_REFERENCE && bucketMillis <= MAX_NEAR_BUCKET
        && Math.abs(start) <= Long.MAX_VALUE / 2) {
      reference = start;
    }
    return start;
  }

  private void append(int k, long bucketStart, int events, int errorCount) {
    int r = runs;
    runService[r] = k;
    runStart[r] = bucketStart;
    runCount[r] = events;
    runErrors[r] = errorCount;
    runs = r + 1;
  }

  /** Appends the runs still open, in service index order, and empties them. */
  private void closeOpenRuns() {
    for (int k = 0; k < services; k++) {
      int c = count[k];
      if (c != 0) {
        count[k] = 0;
        append(k, start[k], c, errors[k]);
      }
    }
  }

  /** @return the number of runs of the batch */
  public int size() {
    return runs;
  }

  /**
   * Returns the service of a run.
   *
   * @param r the run's index, from 0 to {@link #size()} - 1
   * @return its service
   */
  public ServiceScope scope(int r) {
    return events.serviceScope(runService[r]);
  }

  /**
   * Returns the bucket of a run.
   *
   * @param r the run's index
   * @return the start of its bucket, epoch milliseconds
   */
  public long bucketStart(int r) {
    return runStart[r];
  }

  /**
   * Returns the size of a run.
   *
   * @param r the run's index
   * @return how many events it has, at least 1
   */
  public int events(int r) {
    return runCount[r];
  }

  /**
   * Returns the errors of a run.
   *
   * @param r the run's index
   * @return how many of its events count as errors
   */
  public int errors(int r) {
    return runErrors[r];
  }

  /** Empties the runs for the thread's next batch. */
  public void release() {
    for (int k = 0; k < services; k++) {
      count[k] = 0;
    }
    services = 0;
    events = null;
    runs = 0;
    busy = false;
  }
}
