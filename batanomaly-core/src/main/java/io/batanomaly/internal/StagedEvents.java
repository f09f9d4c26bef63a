package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.spi.AcceptedEvents;
import io.batanomaly.spi.ServiceScope;
import java.util.Arrays;

/**
 * The accepted events of one batch as detectors read them: the fields every audit detector
 * reads (service index, time, status, DELETE) copied into primitive arrays the pipeline fills as
 * it validates, the others read from the batch's row. The scope of each event is kept once per
 * distinct service of the batch, not per event: storing a reference into an array the
 * collector has promoted costs a memory fence per store under G1, where an {@code int} costs a
 * plain write. One per ingesting thread, reused batch after batch; {@link #release} drops its
 * references when the batch is done.
 */
final class StagedEvents implements AcceptedEvents {
  private long[] times = new long[1024];
  private int[] statuses = new int[1024];
  private boolean[] deletes = new boolean[1024];
  private int[] rowOf = new int[1024];
  private int[] serviceIndexes = new int[1024];
  /** The scope of each service index of the batch. */
  private ServiceState[] services = new ServiceState[256];
  private int serviceCount;
  private Rows rows;
  private int size;

  /** Starts staging the accepted events of {@code rows}. */
  void begin(Rows rows) {
    this.rows = rows;
    this.size = 0;
    if (times.length < rows.size()) {
      int n = Math.max(rows.size(), times.length * 2);
      times = new long[n];
      statuses = new int[n];
      deletes = new boolean[n];
      rowOf = new int[n];
      serviceIndexes = new int[n];
    }
    this.serviceCount = 0;
  }

  /**
   * Gives service index {@code index} (the next one: the batch's services are numbered in the
   * order they are first seen) its scope.
   */
  void service(int index, ServiceState scope) {
    if (index == services.length) {
      services = Arrays.copyOf(services, index * 2);
    }
    services[index] = scope;
    serviceCount = index + 1;
  }

  /** Returns the tenant of service index {@code index}. */
  TenantState tenantOf(int index) {
    return services[index].tenant;
  }

  /**
   * Stages row {@code row}, already accepted, with the index of its service among the batch's
   * services ({@link #service}), its time, its status and whether it is a DELETE.
   */
  void add(int row, int serviceIndex, long time, int status, boolean delete) {
    int k = size;
    serviceIndexes[k] = serviceIndex;
    times[k] = time;
    statuses[k] = status;
    deletes[k] = delete;
    rowOf[k] = row;
    size = k + 1;
  }

  /** Drops the references to the batch and its services. */
  void release() {
    Arrays.fill(services, 0, serviceCount, null);
    serviceCount = 0;
    rows = null;
    size = 0;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public ServiceScope scope(int i) {
    return services[serviceIndexes[i]];
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
  public ServiceScope serviceScope(int serviceIndex) {
    java.util.Objects.checkIndex(serviceIndex, serviceCount);
    return services[serviceIndex];
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
