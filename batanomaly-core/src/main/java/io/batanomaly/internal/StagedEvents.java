package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.ServiceScope;
import java.util.Arrays;

/**
 * The accepted events of one batch as detectors read them: the fields every audit detector
 * reads (scope, time, status, DELETE) copied into arrays the pipeline fills as it validates,
 * the others read from the batch's row. One per ingesting thread, reused batch after batch;
 * {@link #release} drops its references when the batch is done.
 */
final class StagedEvents implements AcceptedEvents {
  private ServiceState[] scopes = new ServiceState[1024];
  private long[] times = new long[1024];
  private int[] statuses = new int[1024];
  private boolean[] deletes = new boolean[1024];
  private int[] rowOf = new int[1024];
  private int[] serviceIndexes = new int[1024];
  private int serviceCount;
  private Rows rows;
  private int size;

  /** Starts staging the accepted events of {@code rows}. */
  void begin(Rows rows) {
    this.rows = rows;
    this.size = 0;
    if (scopes.length < rows.size()) {
      int n = Math.max(rows.size(), scopes.length * 2);
      scopes = new ServiceState[n];
      times = new long[n];
      statuses = new int[n];
      deletes = new boolean[n];
      rowOf = new int[n];
      serviceIndexes = new int[n];
    }
    this.serviceCount = 0;
  }

  /**
   * Stages row {@code row}, already accepted, with its service, the service's index among the
   * batch's services, and its time.
   */
  void add(int row, ServiceState scope, int serviceIndex, long time) {
    int k = size;
    scopes[k] = scope;
    serviceIndexes[k] = serviceIndex;
    times[k] = time;
    statuses[k] = rows.status(row);
    deletes[k] = rows.isDelete(row);
    rowOf[k] = row;
    size = k + 1;
  }

  /** Sets the number of distinct services the staged events have. */
  void serviceCount(int count) {
    this.serviceCount = count;
  }

  /** Drops the references to the batch and its services. */
  void release() {
    Arrays.fill(scopes, 0, size, null);
    rows = null;
    size = 0;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public ServiceScope scope(int i) {
    return scopes[i];
  }

  @Override
  public int serviceIndex(int i) {
    return serviceIndexes[i];
  }

  @Override
  public int serviceCount() {
    return serviceCount;
  }

  @Override
  public long epochMillis(int i) {
    return times[i];
  }

  @Override
  public int status(int i) {
    return statuses[i];
  }

  @Override
  public boolean isError(int i) {
    int s = statuses[i];
    return s >= 400 && s <= 599;
  }

  @Override
  public boolean isDelete(int i) {
    return deletes[i];
  }

  @Override
  public String method(int i) {
    return rows.method(rowOf[i]);
  }

  @Override
  public String identifier(int i) {
    return rows.identifier(rowOf[i]);
  }

  @Override
  public String eventType(int i) {
    return rows.eventType(rowOf[i]);
  }

  @Override
  public String policyModule(int i) {
    return rows.policyModule(rowOf[i]);
  }

  @Override
  public String policyFunction(int i) {
    return rows.policyFunction(rowOf[i]);
  }

  @Override
  public String versionId(int i) {
    return rows.versionId(rowOf[i]);
  }

  @Override
  public Outcome outcome(int i) {
    return rows.outcome(rowOf[i]);
  }

  @Override
  public long executionTimeNanos(int i) {
    return rows.executionTimeNanos(rowOf[i]);
  }

  @Override
  public AuditEvent event(int i) {
    return rows.event(rowOf[i]);
  }
}
