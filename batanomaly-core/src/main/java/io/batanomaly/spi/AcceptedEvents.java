package io.batanomaly.spi;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;

/**
 * The events of one ingest call that detectors judge, read by index without an object per
 * event: the accepted events in the order the host gave them, each with its resolved
 * {@link ServiceScope}, leaving out the rejected ones and the engine's own
 * {@value io.batanomaly.AuditEvent#ALERT_EVENT_TYPE} events. The same view serves both ingest
 * paths ({@link io.batanomaly.AnomalyEngine#ingest(java.util.Collection)} and
 * {@link io.batanomaly.AnomalyEngine#ingest(io.batanomaly.EventBatch)}), so a detector reading it
 * behaves the same on either.
 *
 * <p>Valid only during the {@link Detector#observe(AcceptedEvents, FindingSink)} call it is
 * handed to, and only on that thread: the engine reuses it for the thread's next batch. Indexes
 * run from 0 to {@link #size()} - 1; an index outside that range may throw or read a stale row.
 * Every accessor except {@link #event} reads a field and allocates nothing.
 */
public interface AcceptedEvents {

  /** @return the number of events */
  int size();

  /**
   * Returns the tenant and service of event {@code i}, with the detectors' attachments.
   *
   * @param i the index
   * @return the scope
   */
  ServiceScope scope(int i);

  /**
   * Returns a dense index of the service of event {@code i} among the services of this batch,
   * from 0 to {@link #serviceCount()} - 1: two events of the batch have the same index exactly
   * when they have the same {@link #scope}. It lets a detector aggregate the batch per service
   * in arrays of {@code serviceCount()} entries (one add of a run of events instead of one
   * per event) before it touches state shared with other threads.
   *
   * @param i the index of the event
   * @return the index of its service
   */
  int serviceIndex(int i);

  /** @return the number of distinct services among the events */
  int serviceCount();

  /**
   * Returns the scope of the batch's service of index {@code serviceIndex}: the scope
   * {@link #scope} gives for every event whose {@link #serviceIndex} it is. Every index from 0
   * to {@link #serviceCount()} - 1 belongs to at least one event, so a detector that needs
   * each service of the batch once (and not each event) loops over these instead.
   *
   * @param serviceIndex the index, from 0 to {@link #serviceCount()} - 1
   * @return the scope
   * @throws IndexOutOfBoundsException if no event has that index
   */
  default ServiceScope serviceScope(int serviceIndex) {
    for (int i = 0, n = size(); i < n; i++) {
      if (serviceIndex(i) == serviceIndex) {
        return scope(i);
      }
    }
    throw new IndexOutOfBoundsException("no event of the batch has service index "
        + serviceIndex + "; the batch has " + serviceCount() + " services");
  }

  /**
   * Returns the event time of event {@code i}.
   *
   * @param i the index
   * @return epoch milliseconds
   */
  long epochMillis(int i);

  /**
   * Returns the HTTP status of event {@code i}.
   *
   * @param i the index
   * @return the status, 0 when the event has none
   */
  int status(int i);

  /**
   * Tells whether event {@code i} has a client or server error status (400 to 599).
   *
   * @param i the index
   * @return whether it is an error
   */
  default boolean isError(int i) {
    int s = status(i);
    return s >= 400 && s <= 599;
  }

  /**
   * Tells whether the method of event {@code i} is {@code DELETE}.
   *
   * @param i the index
   * @return whether it is a DELETE
   */
  boolean isDelete(int i);

  /**
   * Returns the upper-cased HTTP method of event {@code i}.
   *
   * @param i the index
   * @return the method, or {@code null}
   */
  String method(int i);

  /**
   * Returns the user, API client or IP behind event {@code i}.
   *
   * @param i the index
   * @return the identifier, or {@code null}
   */
  String identifier(int i);

  /**
   * Returns the event type of event {@code i}.
   *
   * @param i the index
   * @return the event type, or {@code null}
   */
  String eventType(int i);

  /**
   * Returns the policy module of event {@code i}.
   *
   * @param i the index
   * @return the module, or {@code null}
   */
  String policyModule(int i);

  /**
   * Returns the policy function of event {@code i}.
   *
   * @param i the index
   * @return the function, or {@code null}
   */
  String policyFunction(int i);

  /**
   * Returns the policy version id of event {@code i}.
   *
   * @param i the index
   * @return the version id, or {@code null}
   */
  String versionId(int i);

  /**
   * Tells whether event {@code i} carries a policy module, function and version.
   *
   * @param i the index
   * @return whether it is a policy evaluation
   */
  default boolean isPolicyEvaluation(int i) {
    return policyModule(i) != null && policyFunction(i) != null && versionId(i) != null;
  }

  /**
   * Returns the evaluation outcome of event {@code i}.
   *
   * @param i the index
   * @return the outcome, or {@code null}
   */
  Outcome outcome(int i);

  /**
   * Returns the execution time of event {@code i}, as {@link AuditEvent#executionTimeNanos()}:
   * {@link AuditEvent#NO_EXECUTION_TIME} when it has none (an accepted event never has a
   * negative or invalid one).
   *
   * @param i the index
   * @return nanoseconds
   */
  long executionTimeNanos(int i);

  /**
   * Tells whether event {@code i} carries an execution time.
   *
   * @param i the index
   * @return whether it has one
   */
  default boolean hasExecutionTime(int i) {
    return executionTimeNanos(i) >= 0;
  }

  /**
   * Returns event {@code i} as an {@link AuditEvent}: the very object the host passed to
   * {@code ingest(Collection)}, or, for an {@link io.batanomaly.EventBatch}, a new one built
   * from its columns (this allocates; read the fields instead on the hot path).
   *
   * @param i the index
   * @return the event
   */
  AuditEvent event(int i);
}
