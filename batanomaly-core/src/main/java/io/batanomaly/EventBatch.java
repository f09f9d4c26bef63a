package io.batanomaly;

import io.batanomaly.internal.Rows;
import java.util.Arrays;
import java.util.Map;

/**
 * A reusable, columnar batch of events that a host fills field by field and hands to
 * {@link AnomalyEngine#ingest(EventBatch)}: no object per event, nothing allocated once the
 * batch has grown to the host's batch size. It is the fast way in for a host that holds its own
 * records (a parsed log line, a request context) and would otherwise build one
 * {@link AuditEvent} per record only for the engine to read it once.
 *
 * <pre>{@code
 * EventBatch batch = new EventBatch(1_000);              // one per ingesting thread, reused
 * for (RequestLine r : lines) {
 *   batch.add(r.tenant(), r.service(), r.epochMillis(), r.method(), r.status(), r.client());
 * }
 * batch.add().tenant("acme").service("policies").epochMillis(t)   // any field, one by one
 *     .policyModule("pricing").policyFunction("quote").versionId("v7")
 *     .outcome(Outcome.SUCCESS).executionTimeNanos(4_200_000);
 * IngestResult r = engine.ingest(batch);                  // rejected(): indexes into the batch
 * batch.clear();
 * }</pre>
 *
 * <p>Each row holds the fields of one {@link AuditEvent} except its attributes, with the same
 * meaning and the same normalisation (the method is trimmed and upper-cased). Like the builder,
 * the batch never rejects content: {@link AnomalyEngine#ingest(EventBatch)} validates every row
 * exactly as it validates an {@code AuditEvent}, rejects a bad row with its index and a reason,
 * and ingests the rest; the anomalies found and the rejections are the same as for the same
 * events passed as {@code AuditEvent}s.
 *
 * <p>{@link #add()} starts a row with no timestamp, status 0 and every other field absent; the
 * setters write the row {@code add} started last. The arrays grow (by doubling) when a row is
 * added to a full batch, so size the batch to the host's batch size up front. The engine reads
 * the batch only during the {@code ingest} call and keeps no reference to it or its rows;
 * {@link #clear()} then drops the batch's references to the host's strings and makes it ready
 * for the next batch.
 *
 * <p>Not thread-safe: use one batch per ingesting thread.
 */
public final class EventBatch {
  private static final byte DELETE = 1;
  private static final byte ALERT = 2;

  private String[] tenant;
  private String[] service;
  private long[] epochMillis;
  private String[] method;
  private byte[] flags;
  private int[] status;
  private String[] identifier;
  private String[] eventType;
  private String[] policyModule;
  private String[] policyFunction;
  private String[] versionId;
  private Outcome[] outcome;
  private long[] executionTimeNanos;
  private int size;
  /** The row the setters write: {@code size - 1}. */
  private int row = -1;
  private final Rows rows = new BatchRows();
  /**
   * Whether any row of the batch set a field beyond those of {@link #add(String, String, long,
   * String, int, String)}: event type, policy module, function, version id or outcome. When
   * none did, {@link #clear()} leaves those columns, all null, as they are.
   */
  private boolean otherColumns;

  /**
   * Creates an empty batch with room for {@code initialCapacity} events before it grows.
   *
   * @param initialCapacity the expected batch size, at least 1
   * @throws IllegalArgumentException if {@code initialCapacity} is below 1
   */
  public EventBatch(int initialCapacity) {
    if (initialCapacity < 1) {
      throw new IllegalArgumentException(
          "initialCapacity must be at least 1, but was " + initialCapacity);
    }
    allocate(initialCapacity);
  }

  private void allocate(int capacity) {
    tenant = new String[capacity];
    service = new String[capacity];
    epochMillis = new long[capacity];
    method = new String[capacity];
    flags = new byte[capacity];
    status = new int[capacity];
    identifier = new String[capacity];
    eventType = new String[capacity];
    policyModule = new String[capacity];
    policyFunction = new String[capacity];
    versionId = new String[capacity];
    outcome = new Outcome[capacity];
    executionTimeNanos = new long[capacity];
  }

  private void grow() {
    int capacity = Math.max(2, tenant.length * 2);
    tenant = Arrays.copyOf(tenant, capacity);
    service = Arrays.copyOf(service, capacity);
    epochMillis = Arrays.copyOf(epochMillis, capacity);
    method = Arrays.copyOf(method, capacity);
    flags = Arrays.copyOf(flags, capacity);
    status = Arrays.copyOf(status, capacity);
    identifier = Arrays.copyOf(identifier, capacity);
    eventType = Arrays.copyOf(eventType, capacity);
    policyModule = Arrays.copyOf(policyModule, capacity);
    policyFunction = Arrays.copyOf(policyFunction, capacity);
    versionId = Arrays.copyOf(versionId, capacity);
    outcome = Arrays.copyOf(outcome, capacity);
    executionTimeNanos = Arrays.copyOf(executionTimeNanos, capacity);
  }

  /**
   * Starts a new event: no timestamp, status 0, every other field absent. The setters that
   * follow fill it.
   *
   * @return this batch
   */
  public EventBatch add() {
    int r = size;
    if (r == tenant.length) {
      grow();
    }
    // string columns are null here: a new batch, or cleared by clear()
    epochMillis[r] = AuditEvent.NO_TIMESTAMP;
    status[r] = 0;
    executionTimeNanos[r] = AuditEvent.NO_EXECUTION_TIME;
    row = r;
    size = r + 1;
    return this;
  }

  /**
   * Adds the event of one HTTP request: the same as {@code add().tenant(tenant)
   * .service(service).epochMillis(epochMillis).method(method).status(status)
   * .identifier(identifier)}, in one call. Further setters still write this event.
   *
   * @param tenant the tenant
   * @param service the service
   * @param epochMillis the event time in epoch milliseconds
   * @param method the HTTP method, any case, or {@code null}
   * @param status the HTTP status code, or 0 for none
   * @param identifier the user, API client or IP behind the request, or {@code null}
   * @return this batch
   */
  public EventBatch add(String tenant, String service, long epochMillis, String method,
      int status, String identifier) {
    add();
    int r = row;
    this.tenant[r] = tenant;
    this.service[r] = service;
    this.epochMillis[r] = epochMillis;
    setMethod(r, method);
    this.status[r] = status;
    this.identifier[r] = identifier;
    return this;
  }

  private int row() {
    int r = row;
    if (r < 0) {
      throw new IllegalStateException("call add() to start an event before setting its fields");
    }
    return r;
  }

  /**
   * Sets the tenant of the current event.
   *
   * @param tenant the tenant
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch tenant(String tenant) {
    this.tenant[row()] = tenant;
    return this;
  }

  /**
   * Sets the service of the current event.
   *
   * @param service the service
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch service(String service) {
    this.service[row()] = service;
    return this;
  }

  /**
   * Sets the event time of the current event.
   *
   * @param epochMillis epoch milliseconds, or {@link AuditEvent#NO_TIMESTAMP} for none
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch epochMillis(long epochMillis) {
    this.epochMillis[row()] = epochMillis;
    return this;
  }

  /**
   * Sets the HTTP method of the current event, trimmed and upper-cased as
   * {@link AuditEvent.Builder#method} does.
   *
   * @param method the method, any case, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch method(String method) {
    setMethod(row(), method);
    return this;
  }

  private void setMethod(int r, String m) {
    String normalized = AuditEvent.normalizeMethod(m);
    this.method[r] = normalized;
    flags[r] = (byte) ((flags[r] & ~DELETE) | (AuditEvent.isDeleteMethod(normalized) ? DELETE : 0));
  }

  /**
   * Sets the HTTP status of the current event.
   *
   * @param status the status code, or 0 for none
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch status(int status) {
    this.status[row()] = status;
    return this;
  }

  /**
   * Sets the identifier of the current event.
   *
   * @param identifier the user, API client or IP, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch identifier(String identifier) {
    this.identifier[row()] = identifier;
    return this;
  }

  /**
   * Sets the event type of the current event.
   *
   * @param eventType the event type, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch eventType(String eventType) {
    int r = row();
    otherColumns = true;
    this.eventType[r] = eventType;
    flags[r] = (byte) ((flags[r] & ~ALERT) | (AuditEvent.isAlertType(eventType) ? ALERT : 0));
    return this;
  }

  /**
   * Sets the policy module of the current event.
   *
   * @param policyModule the module, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch policyModule(String policyModule) {
    otherColumns = true;
    this.policyModule[row()] = policyModule;
    return this;
  }

  /**
   * Sets the policy function of the current event.
   *
   * @param policyFunction the function, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch policyFunction(String policyFunction) {
    otherColumns = true;
    this.policyFunction[row()] = policyFunction;
    return this;
  }

  /**
   * Sets the policy version id of the current event.
   *
   * @param versionId the version id, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch versionId(String versionId) {
    otherColumns = true;
    this.versionId[row()] = versionId;
    return this;
  }

  /**
   * Sets the evaluation outcome of the current event.
   *
   * @param outcome the outcome, or {@code null}
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch outcome(Outcome outcome) {
    otherColumns = true;
    this.outcome[row()] = outcome;
    return this;
  }

  /**
   * Sets the execution time of the current event in nanoseconds.
   *
   * @param nanos the duration, or {@link AuditEvent#NO_EXECUTION_TIME} for none; a negative
   *     one is kept and rejected at ingest
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch executionTimeNanos(long nanos) {
    this.executionTimeNanos[row()] = nanos;
    return this;
  }

  /**
   * Sets the execution time of the current event in (fractional) milliseconds, converted as
   * {@link AuditEvent.Builder#executionTimeMillis} converts it.
   *
   * @param millis the duration; NaN, infinite and negative values are kept and rejected at
   *     ingest
   * @return this batch
   * @throws IllegalStateException if no event was started with {@link #add()}
   */
  public EventBatch executionTimeMillis(double millis) {
    this.executionTimeNanos[row()] = AuditEvent.nanosOfMillis(millis);
    return this;
  }

  /** @return the number of events added since the batch was created or cleared */
  public int size() {
    return size;
  }

  /** @return whether no event was added since the batch was created or cleared */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * Empties the batch for reuse, keeping its capacity, and drops its references to the
   * strings of the events it held.
   */
  public void clear() {
    int n = size;
    Arrays.fill(tenant, 0, n, null);
    Arrays.fill(service, 0, n, null);
    Arrays.fill(method, 0, n, null);
    Arrays.fill(flags, 0, n, (byte) 0);
    Arrays.fill(identifier, 0, n, null);
    if (otherColumns) {
      Arrays.fill(eventType, 0, n, null);
      Arrays.fill(policyModule, 0, n, null);
      Arrays.fill(policyFunction, 0, n, null);
      Arrays.fill(versionId, 0, n, null);
      Arrays.fill(outcome, 0, n, null);
      otherColumns = false;
    }
    size = 0;
    row = -1;
  }

  /**
   * Returns event {@code index} as an {@link AuditEvent} (allocates; for logging a rejected
   * event, or tests).
   *
   * @param index the index, from 0 to {@code size() - 1}
   * @return the event, equal to the one the builder makes from the same fields
   * @throws IndexOutOfBoundsException if {@code index} is not that of an event of the batch
   */
  public AuditEvent event(int index) {
    java.util.Objects.checkIndex(index, size);
    return AuditEvent.ofFields(tenant[index], service[index], epochMillis[index], method[index],
        status[index], identifier[index], eventType[index], policyModule[index],
        policyFunction[index], versionId[index], outcome[index], executionTimeNanos[index]);
  }

  /** @return the rows as the engine's pipeline reads them */
  Rows rows() {
    return rows;
  }

  /** The pipeline's view of the batch's columns. */
  private final class BatchRows implements Rows {
    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean isNull(int i) {
      return false;
    }

    @Override
    public String tenant(int i) {
      return tenant[i];
    }

    @Override
    public String service(int i) {
      return service[i];
    }

    @Override
    public long epochMillis(int i) {
      return epochMillis[i];
    }

    @Override
    public String method(int i) {
      return method[i];
    }

    @Override
    public boolean isDelete(int i) {
      return (flags[i] & DELETE) != 0;
    }

    @Override
    public boolean isAlert(int i) {
      return (flags[i] & ALERT) != 0;
    }

    @Override
    public int status(int i) {
      return status[i];
    }

    @Override
    public String identifier(int i) {
      return identifier[i];
    }

    @Override
    public String eventType(int i) {
      return eventType[i];
    }

    @Override
    public String policyModule(int i) {
      return policyModule[i];
    }

    @Override
    public String policyFunction(int i) {
      return policyFunction[i];
    }

    @Override
    public String versionId(int i) {
      return versionId[i];
    }

    @Override
    public Outcome outcome(int i) {
      return outcome[i];
    }

    @Override
    public long executionTimeNanos(int i) {
      return executionTimeNanos[i];
    }

    @Override
    public int longestFieldLength(int i) {
      if (!otherColumns) {
        return AuditEvent.longest(tenant[i], service[i], method[i], identifier[i], null, null,
            null, null);
      }
      return AuditEvent.longest(tenant[i], service[i], method[i], identifier[i], eventType[i],
          policyModule[i], policyFunction[i], versionId[i]);
    }

    @Override
    public AuditEvent event(int i) {
      return EventBatch.this.event(i);
    }
  }
}
