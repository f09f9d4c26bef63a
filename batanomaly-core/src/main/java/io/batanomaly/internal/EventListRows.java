package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * A batch of {@link AuditEvent}s as {@link Rows}: the references copied into an array this
 * thread reuses, so the pipeline reads them by index whatever collection the host passed.
 * Not thread-safe; {@link #release} drops the references after the batch.
 */
final class EventListRows implements Rows {
  private AuditEvent[] events = new AuditEvent[1024];
  private int size;

  /**
   * Takes the events of a batch. A random-access list hands over its references with
   * {@link Collection#toArray(Object[])}, one bulk copy (for the collector, one card-table pass
   * over the copied range instead of a barrier per reference); any other collection is walked.
   */
  void load(Collection<AuditEvent> batch) {
    if (batch instanceof RandomAccess) {
      int n = batch.size();
      if (events.length <= n) {
        events = new AuditEvent[Math.max(n + 1, events.length * 2)];
      }
      AuditEvent[] a = batch.toArray(events);
      if (a == events) {
        size = n;
        return;
      }
      // the list grew meanwhile (another thread's list): take the copy it made
      events = a;
      size = a.length;
      return;
    }
    int n = 0;
    AuditEvent[] a = events;
    for (AuditEvent e : batch) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
        events = a;
      }
      a[n++] = e;
    }
    size = n;
  }

  /** Drops the references to the batch's events. */
  void release() {
    Arrays.fill(events, 0, size, null);
    size = 0;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isNull(int i) {
    return events[i] == null;
  }

  @Override
  public String tenant(int i) {
    return events[i].tenant();
  }

  @Override
  public String service(int i) {
    return events[i].service();
  }

  @Override
  public long epochMillis(int i) {
    return events[i].epochMillis();
  }

  @Override
  public String method(int i) {
    return events[i].method();
  }

  @Override
  public boolean isDelete(int i) {
    return events[i].isDelete();
  }

  @Override
  public boolean isAlert(int i) {
    return events[i].isAlert();
  }

  @Override
  public int status(int i) {
    return events[i].status();
  }

  @Override
  public String identifier(int i) {
    return events[i].identifier();
  }

  @Override
  public String eventType(int i) {
    return events[i].eventType();
  }

  @Override
  public String policyModule(int i) {
    return events[i].policyModule();
  }

  @Override
  public String policyFunction(int i) {
    return events[i].policyFunction();
  }

  @Override
  public String versionId(int i) {
    return events[i].versionId();
  }

  @Override
  public Outcome outcome(int i) {
    return events[i].outcome();
  }

  @Override
  public long executionTimeNanos(int i) {
    return events[i].executionTimeNanos();
  }

  @Override
  public int longestFieldLength(int i) {
    return events[i].longestFieldLength();
  }

  @Override
  public AuditEvent event(int i) {
    return events[i];
  }
}
